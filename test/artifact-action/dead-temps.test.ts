// A killed log's temporary copies are reclaimed by the next log, not an hour later (issue 11, item 9).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSkillRunner } from '../../src/index.js';
import { pidScope } from '../../src/liveness.js';
import { tempName, tempPrefix } from '../../src/artifacts/temp-name.js';
import { isolated, tempDir, valid } from '../helpers/tmp.js';

test("log: copies left by a dead process of this host go at once; a live or foreign owner's wait for the hour rule", async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runner = createSkillRunner(isolated(dir, { WANDB_MODE: 'offline' }));
  t.after(() => runner.close());
  const run = valid(await runner.execute({ action: 'init', project: 'p' }));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'a.txt'), 'alpha');
  const log = async () =>
    valid(await runner.execute({ action: 'artifact', project: 'p', runId: run.runId, artifactConfig: { name: 'ds', type: 'dataset', path: 'data' } }));
  assert.equal((await log()).status, 'success');
  const tmp = join(dir, 'wandb', 'artifacts', 'tmp');
  assert.deepEqual(readdirSync(tmp), [], 'a finished log leaves no copy');

  const deadPid = spawnSync(process.execPath, ['-e', '0']).pid as number; // exited: its pid is free
  const here = pidScope();
  const leftovers = {
    dead: tempName(tempPrefix({ host: here, pid: deadPid })),
    live: tempName(tempPrefix({ host: here, pid: process.pid })),
    foreign: tempName(tempPrefix({ host: `${here} another-boot`, pid: deadPid })),
    unowned: tempName(),
    oldForeign: tempName(tempPrefix({ host: 'elsewhere', pid: deadPid })),
  };
  for (const name of Object.values(leftovers)) writeFileSync(join(tmp, name), Buffer.alloc(4096, 1));
  const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
  utimesSync(join(tmp, leftovers.oldForeign), twoHoursAgo, twoHoursAgo);

  writeFileSync(join(dir, 'data', 'a.txt'), 'alpha-2');
  assert.equal((await log()).artifact?.version, 'v1');
  assert.deepEqual(
    readdirSync(tmp).sort(),
    [leftovers.live, leftovers.foreign, leftovers.unowned].sort(),
    "the dead writer's copy and the hour-old one are gone; the live, foreign and unnamed fresh ones stay",
  );
});
