import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSkillRunner, executeSkill, closeStores } from '../../src/skill.js';
import type { ProgressEvent } from '../../src/services.js';
import { isolated, tempDir, valid } from '../helpers/tmp.js';

const MiB = 1024 * 1024;

function folder(dir: string, name: string, files: number): string {
  const path = join(dir, name);
  mkdirSync(path);
  for (let i = 0; i < files; i++) writeFileSync(join(path, `f-${i}.bin`), Buffer.alloc(MiB, i + files));
  return path;
}

test('each call hears its own progress: two artifact logs side by side on one runner; a call without a sink reports to the runner', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runnerWide: ProgressEvent[] = [];
  const runner = createSkillRunner({ ...isolated(dir), onProgress: (p) => runnerWide.push(p) });
  t.after(() => runner.close());
  const init = valid(await runner.execute({ action: 'init', project: 'p', runConfig: { name: 'r' } }));
  await runner.execute({ action: 'log', project: 'p', runId: init.runId, logData: { metrics: { loss: 1 } } });
  const heard: Record<string, ProgressEvent[]> = { a: [], b: [] };
  const log = (name: 'a' | 'b', files: number) =>
    runner.execute(
      { action: 'artifact', project: 'p', runId: init.runId, artifactConfig: { name, type: 'dataset', path: folder(dir, name, files) } },
      { progress: (p) => heard[name]?.push(p) },
    );
  const [a, b] = await Promise.all([log('a', 4), log('b', 6)]);
  assert.equal(valid(a).status, 'success', JSON.stringify(a));
  assert.equal(valid(b).status, 'success', JSON.stringify(b));
  for (const [name, files] of [
    ['a', 4],
    ['b', 6],
  ] as const) {
    const events = heard[name] ?? [];
    assert.ok(events.length > 0, `${name} heard its progress`);
    assert.ok(
      events.every((p) => p.label === `artifact ${name}` && p.total === files * MiB && p.unit === 'bytes'),
      `${name} heard only its own work: ${JSON.stringify(events.filter((p) => p.label !== `artifact ${name}`).slice(0, 2))}`,
    );
    assert.equal(events.at(-1)?.done, files * MiB);
  }
  assert.equal(runnerWide.length, 0, "a call's own sink replaces the runner's");

  // A report reports the runs whose histories it has read, to the runner's sink when the call brings none.
  valid(await runner.execute({ action: 'report', project: 'p', reportConfig: { format: 'markdown', title: 'r' } }));
  assert.deepEqual(
    runnerWide.map((p) => [p.label, p.done, p.total, p.unit]),
    [
      ['report r', 0, 1, 'runs'],
      ['report r', 1, 1, 'runs'],
    ],
  );
});

test("executeSkill's onProgress reaches the call's own work", async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(() => {
    closeStores();
    cleanup();
  });
  const options = isolated(dir);
  const init = valid(await executeSkill({ action: 'init', project: 'p' }, options));
  const heard: ProgressEvent[] = [];
  const out = valid(
    await executeSkill(
      { action: 'artifact', project: 'p', runId: init.runId, artifactConfig: { name: 'd', type: 'dataset', path: folder(dir, 'd', 2) } },
      { ...options, onProgress: (p) => heard.push(p) },
    ),
  );
  assert.equal(out.status, 'success', JSON.stringify(out));
  assert.ok(heard.length > 0 && heard.every((p) => p.label === 'artifact d' && p.total === 2 * MiB));
  assert.equal(heard.at(-1)?.done, 2 * MiB);
});
