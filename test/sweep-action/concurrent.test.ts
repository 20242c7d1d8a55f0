import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { executeSkill } from '../../src/index.js';
import { isolated, repoRoot, tempDir, valid } from '../helpers/tmp.js';

/** A worker process: asks `next` until the sweep is done, prints one JSON line per answer. */
const WORKER = `
import { createSkillRunner } from ${JSON.stringify(pathToFileURL(join(repoRoot, 'dist', 'src', 'index.js')).href)};
const runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: process.argv[2] });
for (;;) {
  const out = await runner.execute({ action: 'sweep', operation: 'next', sweepId: process.argv[3] });
  process.stdout.write(JSON.stringify(out) + '\\n');
  if (out.status !== 'success' || out.done) break;
}
runner.close();
`;

function runWorker(script: string, dir: string, sweepId: string): Promise<Array<Record<string, unknown>>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, dir, sweepId], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`worker exited ${code}`));
      else
        resolve(
          out
            .trim()
            .split('\n')
            .map((l) => JSON.parse(l) as Record<string, unknown>),
        );
    });
  });
}

test('3 processes asking next at once get distinct runs that cover the grid exactly once', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const created = valid(
    await executeSkill(
      { action: 'sweep', project: 'p', sweepConfig: { method: 'grid', parameters: { a: { values: [1, 2, 3, 4] }, b: { values: ['x', 'y', 'z'] } } } },
      isolated(dir, { WANDB_MODE: 'offline' }),
    ),
  );
  const script = join(dir, 'worker.mjs');
  writeFileSync(script, WORKER);
  const results = await Promise.all([0, 1, 2].map(() => runWorker(script, dir, created.sweepId as string)));
  const all = results.flat();
  for (const out of all) valid(out as never);
  assert.ok(
    all.every((o) => o['status'] === 'success'),
    JSON.stringify(all.filter((o) => o['status'] !== 'success')),
  );
  const runs = all.filter((o) => o['done'] === false);
  const ids = runs.map((o) => o['runId'] as string);
  assert.equal(new Set(ids).size, 12, 'every run is distinct');
  const points = runs.map((o) => JSON.stringify((o['suggestion'] as { config: unknown }).config)).sort();
  assert.equal(new Set(points).size, 12, 'no suggestion is handed out twice');
  assert.equal(results.filter((r) => r.at(-1)?.['doneReason'] === 'grid_exhausted').length, 3, 'each worker ends with done');
  // Each worker got some of the runs (they really ran side by side), though not necessarily evenly.
  assert.equal(runs.length, 12);
});
