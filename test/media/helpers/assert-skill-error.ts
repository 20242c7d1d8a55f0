/** Assertions on SkillError shape shared by the media and artifact tests. */
import assert from 'node:assert/strict';
import { SkillError } from '../../../src/errors.js';

/** Asserts `err` is a SkillError with `code` whose first issue path equals (or starts with) `path`. */
export function assertSkillError(err: unknown, code: string, path?: string | RegExp): true {
  assert.ok(err instanceof SkillError, `expected SkillError, got ${String(err)}`);
  assert.equal(err.code, code, err.message);
  if (path !== undefined) {
    const issue = err.details?.issues?.[0];
    assert.ok(issue, 'expected details.issues');
    if (typeof path === 'string') assert.equal(issue.path, path, err.message);
    else assert.match(issue.path, path, err.message);
  }
  return true;
}
