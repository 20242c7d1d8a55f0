/**
 * Artifact logging of a big folder (1,000 random files, 1 GB by default; BENCH_ARTIFACT_MB shrinks
 * it) beside `md5sum` over the same files in the same run. Ours runs in a child process so its peak
 * RSS is measured alone; it logs the folder twice, the second time unchanged.
 */
import { spawnSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Row } from './stats.js';

function bytesUnder(dir: string): number {
  let n = 0;
  try {
    for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
      const st = statSync(join(dir, f));
      if (st.isFile()) n += st.size;
    }
  } catch {
    return 0;
  }
  return n;
}

/** 1,000 files of random bytes, `totalMb` in all, in 10 subfolders. */
function makeFolder(dir: string, totalMb: number, files = 1000): string[] {
  const size = Math.max(1, Math.floor((totalMb * 1024 * 1024) / files));
  const buf = Buffer.alloc(size);
  const paths: string[] = [];
  for (let i = 0; i < files; i++) {
    const sub = join(dir, `part-${i % 10}`);
    mkdirSync(sub, { recursive: true });
    randomFillSync(buf);
    const p = join(sub, `file-${String(i).padStart(4, '0')}.bin`);
    writeFileSync(p, buf);
    paths.push(p);
  }
  return paths;
}

export function benchArtifact(childJs: string): Row[] {
  const totalMb = Number(process.env['BENCH_ARTIFACT_MB'] ?? 1024);
  const dir = mkdtempSync(join(tmpdir(), 'bench-artifact-'));
  try {
    const folder = join(dir, 'data');
    const paths = makeFolder(folder, totalMb);
    const mb = bytesUnder(folder) / (1024 * 1024);
    // Both read from the page cache: md5sum first warms it for us, and ours for the second md5sum.
    spawnSync('md5sum', paths.slice(0, 10), { stdio: 'ignore' });
    let t = performance.now();
    const md5 = spawnSync('md5sum', paths, { maxBuffer: 64 * 1024 * 1024 });
    const md5Ms = performance.now() - t;
    if (md5.status !== 0) return [{ name: 'artifact (skipped)', value: 'md5sum failed', baseline: md5.stderr.toString().slice(0, 80), ratio: '', target: '' }];
    const work = join(dir, 'work');
    mkdirSync(work);
    t = performance.now();
    const child = spawnSync(process.execPath, [childJs, folder, work], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
    if (child.status !== 0) throw new Error(`artifact child failed: ${child.stderr}`);
    const r = JSON.parse(child.stdout.trim().split('\n').pop() as string) as {
      firstMs: number;
      secondMs: number;
      downloadMs: number;
      versions: string[];
      maxRssMb: number;
    };
    const stored = bytesUnder(join(work, 'wandb', 'artifacts', 'objects')) / (1024 * 1024);
    // The download's baseline: `cp -r` of the same files (the kernel's own copy), in this run,
    // after ours: a copy's freed pages would make the next writer's page allocation cheaper.
    t = performance.now();
    const cp = spawnSync('cp', ['-r', folder, join(dir, 'cp-copy')]);
    const cpMs = performance.now() - t;
    rmSync(join(dir, 'cp-copy'), { recursive: true, force: true });
    const ours = mb / (r.firstMs / 1000);
    const base = mb / (md5Ms / 1000);
    return [
      {
        name: `artifact log: ${mb.toFixed(0)} MB folder, 1000 files`,
        value: `${ours.toFixed(0)} MB/s`,
        baseline: `md5sum ${base.toFixed(0)} MB/s`,
        ratio: `${(ours / base).toFixed(2)}x`,
        target: '>= 0.7x md5sum',
      },
      { name: 'artifact log: peak RSS of the logging process', value: `${r.maxRssMb.toFixed(0)} MB`, baseline: '', ratio: '', target: '< 200 MB' },
      {
        name: `artifact log again, unchanged (${r.versions.join(' then ')})`,
        value: `${(r.secondMs / 1000).toFixed(2)} s`,
        baseline: `md5sum ${(md5Ms / 1000).toFixed(2)} s; stored ${stored.toFixed(0)} MB in all`,
        ratio: `${(r.secondMs / md5Ms).toFixed(2)}x`,
        target: '<= hashing time, 0 new bytes',
      },
      {
        name: 'artifact download: the same version written out',
        value: `${(mb / (r.downloadMs / 1000)).toFixed(0)} MB/s`,
        baseline: cp.status === 0 ? `cp -r ${(mb / (cpMs / 1000)).toFixed(0)} MB/s` : 'cp failed',
        ratio: cp.status === 0 ? `${(cpMs / r.downloadMs).toFixed(2)}x` : '',
        target: '',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
