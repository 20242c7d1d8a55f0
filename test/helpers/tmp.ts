import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { outputIssues } from '../../src/contract/validate.js';
import type { SkillOutput } from '../../src/contract/types.generated.js';
import type { SkillOptions } from '../../src/skill.js';

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'wandb-skill-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  // Retried for about 5 s (Node's linear backoff: 100, 200, ... 1000 ms): a killed trial program's
  // orphaned CLI call may still be opening and closing its store files in the folder (ENOTEMPTY).
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 }) };
}

/**
 * Options for an isolated offline call: its own folder, an empty environment, a quiet logger. The
 * store is pinned to the folder (as WANDB_DIR would), so no walk can find a stray store in /tmp or
 * above; the folder is also the home folder (~/.netrc). test/runs/store-location.test.ts tests the walk.
 */
export function isolated(dir: string, env: Record<string, string> = {}): SkillOptions {
  return { env: { ...env }, cwd: dir, ...(env['WANDB_DIR'] === undefined ? { dir } : {}), homedir: dir };
}

/** Asserts the output validates against schemas/output.schema.json and returns it. */
export function valid(out: SkillOutput): SkillOutput {
  assert.deepEqual(outputIssues(out), [], `output does not match the schema: ${JSON.stringify(out)}`);
  return out;
}

/** The repository root (compiled tests run from dist/test/...). */
export const repoRoot = new URL('../../../', import.meta.url).pathname;
export const binPath = join(repoRoot, 'dist', 'bin', 'wandb-skill.cjs');
