// The house rules as tests, so `npm test` (and CI) fails on a forbidden import, an ESLint finding or an
// unformatted file, and still ends with its counts: the same commands as `npm run lint`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = new URL('../../..', import.meta.url).pathname;
const bin = (name: string): string => join(ROOT, 'node_modules', '.bin', name);

function run(cmd: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync(bin(cmd), args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, out: `${r.stdout}${r.stderr}`.slice(-8000) };
}

test('layering: dependency-cruiser finds no forbidden import (npm run lint:deps)', () => {
  const r = run('depcruise', ['src', '--config', '.dependency-cruiser.cjs']);
  assert.equal(r.status, 0, r.out);
});

test('ESLint (typescript-eslint, max-lines 300, no module-level mutable state) reports nothing (npm run lint:es)', () => {
  const r = run('eslint', ['--cache', '--cache-location', 'node_modules/.cache/eslint/', '.']);
  assert.equal(r.status, 0, r.out);
});

test('every code file is formatted by Prettier (npm run format)', () => {
  const r = run('prettier', ['--check', '**/*.{ts,js,mjs,cjs}']);
  assert.equal(r.status, 0, r.out);
});
