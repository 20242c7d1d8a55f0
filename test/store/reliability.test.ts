import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { executeSkill } from '../../src/index.js';
import { tempDir, isolated, repoRoot } from '../helpers/tmp.js';

const indexUrl = new URL('../../src/index.js', import.meta.url).href;

/** A writer process: logs `count` rows to one run through a single runner, printing each returned step. */
function writerScript(dir: string): string {
  const path = join(dir, 'writer.mjs');
  writeFileSync(
    path,
    `import { createSkillRunner } from ${JSON.stringify(indexUrl)};
const [runId, count, tag] = process.argv.slice(2);
const runner = createSkillRunner({ env: {}, cwd: ${JSON.stringify(dir)} });
for (let i = 0; i < Number(count); i++) {
  const out = await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics: { writer: tag, i } } });
  if (out.status !== 'success') { console.error(JSON.stringify(out)); process.exit(1); }
  process.stdout.write(out.step + '\\n');
}
runner.close();
`,
  );
  return path;
}

function spawnWriter(script: string, args: string[]) {
  return spawn(process.execPath, [script, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
}

test('4 processes logging 1,000 rows each to one run lose nothing and keep steps strictly increasing', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runId = (await executeSkill({ action: 'init', project: 'p' }, isolated(dir))).runId as string;
  const script = writerScript(dir);
  const results = await Promise.all(
    [0, 1, 2, 3].map(
      (w) =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const c = spawnWriter(script, [runId, '1000', `w${w}`]);
          let stderr = '';
          c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          c.stdout.resume();
          c.on('close', (code) => resolve({ code, stderr }));
        }),
    ),
  );
  for (const r of results) assert.equal(r.code, 0, r.stderr);
  const db = new Database(join(dir, 'wandb', 'skill-store.sqlite'), { readonly: true });
  t.after(() => db.close());
  const rows = db.prepare('SELECT seq, step, row FROM history ORDER BY seq').all() as Array<{ seq: number; step: number; row: string }>;
  assert.equal(rows.length, 4000);
  rows.forEach((r, i) => {
    assert.equal(r.seq, i);
    assert.equal(r.step, i, 'steps strictly increasing with no gap');
  });
  const perWriter = new Map<string, number[]>();
  for (const r of rows) {
    const v = JSON.parse(r.row) as { writer: string; i: number };
    perWriter.set(v.writer, [...(perWriter.get(v.writer) ?? []), v.i]);
  }
  for (const w of ['w0', 'w1', 'w2', 'w3']) {
    assert.deepEqual(
      perWriter.get(w),
      Array.from({ length: 1000 }, (_, i) => i),
      `${w}: all rows, in order`,
    );
  }
});

test('a writer killed with SIGKILL mid-stream leaves an intact store holding every row whose call returned', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runId = (await executeSkill({ action: 'init', project: 'p' }, isolated(dir))).runId as string;
  const script = writerScript(dir);
  const child = spawnWriter(script, [runId, '1000000', 'k']);
  const returned: number[] = [];
  let buf = '';
  await new Promise<void>((resolve) => {
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const l of lines) returned.push(Number(l));
      if (returned.length >= 2000 && !child.killed) child.kill('SIGKILL');
    });
    child.on('close', () => resolve());
  });
  assert.ok(returned.length >= 2000);
  const db = new Database(join(dir, 'wandb', 'skill-store.sqlite'));
  t.after(() => db.close());
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  const steps = new Set((db.prepare('SELECT step FROM history').all() as Array<{ step: number }>).map((r) => r.step));
  for (const s of returned) assert.ok(steps.has(s), `row of step ${s} was acknowledged and must be stored`);
  // and the run can go on after the crash
  const more = await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { after: 1 } } }, isolated(dir));
  assert.equal(more.status, 'success');
  assert.equal(more.step, steps.size);
});
