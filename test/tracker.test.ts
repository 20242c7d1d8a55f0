import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTracker, SkillError } from '../src/index.js';
import type { RunConfig } from '../src/index.js';
import { tempDir, isolated, valid, repoRoot } from './helpers/tmp.js';

async function rejectsWith(p: Promise<unknown>, code: string): Promise<SkillError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof SkillError, `a SkillError, not ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail(`expected a ${code} SkillError`);
}

test('tracker convenience methods throw a typed SkillError carrying code, details and the whole output', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const tracker = createTracker({ project: 'p', ...isolated(dir) });
  t.after(() => tracker.close());

  const bad = await rejectsWith(tracker.init({ name: 'x', tags: 'not-a-list' } as unknown as RunConfig), 'INVALID_INPUT');
  assert.equal(bad.details?.issues?.[0]?.path, 'runConfig.tags');
  assert.ok(bad.output, "the failed call's output rides on the error");
  valid(bad.output);
  assert.equal(bad.output.status, 'error');
  assert.equal(bad.output.error?.code, 'INVALID_INPUT');

  const run = await tracker.init({ name: 'baseline' });
  const logged = valid(await run.log({ loss: 0.5 }));
  assert.equal(logged.status, 'success');
  const fin = valid(await run.finish());
  assert.equal(fin.state, 'finished');

  const conflict = await rejectsWith(run.log({ loss: 0.4 }), 'CONFLICT');
  assert.equal(conflict.output?.status, 'error');
  assert.equal(conflict.output?.action, 'log');
  const again = valid(await run.finish());
  assert.equal(again.state, 'finished', 'finishing a finished run only warns');
});

test('tracker.execute never throws: a failure is an output with status "error"', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const tracker = createTracker({ project: 'p', ...isolated(dir) });
  t.after(() => tracker.close());
  const out = valid(await tracker.execute({ action: 'finish', runId: 'nosuchrun' }));
  assert.equal(out.status, 'error');
  assert.equal(out.error?.code, 'NOT_FOUND');
  const hostile = valid(await tracker.execute({ action: 'log', logData: 'x' } as never));
  assert.equal(hostile.error?.code, 'INVALID_INPUT');
  const ok = valid(await tracker.execute({ action: 'init', runConfig: { name: 'r' } }));
  assert.equal(ok.status, 'success');
  assert.equal(ok.project, 'p', "the tracker's project is filled in");
});

test('README and the TSDoc state the one rule, and the example awaits close()', () => {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  assert.match(readme, /await tracker\.close\(\);/);
  assert.doesNotMatch(readme, /^tracker\.close\(\);/m);
  assert.match(readme, /`tracker\.execute`[\s\S]{0,80}never throws/);
  assert.match(readme, /throw a `SkillError`/);
  const doc = readFileSync(join(repoRoot, 'src', 'tracker.ts'), 'utf8');
  assert.match(doc, /\* await tracker\.close\(\);/);
  assert.match(doc, /`execute` returns every output and never throws/);
});
