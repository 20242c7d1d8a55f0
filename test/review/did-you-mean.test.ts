import { test } from 'node:test';
import assert from 'node:assert/strict';
import { executeSkill } from '../../src/index.js';
import { tempDir, isolated, valid } from '../helpers/tmp.js';

test('review, item 18: a field put inside an object that belongs at the top level, and a tie between two close values, teach the right one', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const o = isolated(dir);
  const op = valid(await executeSkill({ action: 'artifact', project: 'p', artifactConfig: { operation: 'download', name: 'a:latest' } }, o));
  assert.match(op.error?.message ?? '', /did you mean "operation"/, JSON.stringify(op.error));
  const mode = valid(await executeSkill({ action: 'init', project: 'p', mode: 'ofline' }, o));
  assert.match(mode.error?.message ?? '', /did you mean "offline"/, JSON.stringify(mode.error));
});

test('review, item 18: a misspelt sweep config key gets a did-you-mean too', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const out = valid(await executeSkill({ action: 'sweep', project: 'p', sweepConfig: { method: 'grid', parameter: { a: { values: [1] } } } }, isolated(dir)));
  assert.equal(out.error?.code, 'INVALID_INPUT', JSON.stringify(out));
  assert.match(out.error?.message ?? '', /sweepConfig\.parameter: is not a sweep config key; did you mean "sweepConfig\.parameters"\?/, out.error?.message);
});
