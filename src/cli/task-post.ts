/**
 * `--task-post DIR`: the result as an orchestrator's worker posts it (the babysitter SDK's
 * `task:post <runDir> <effectId> --status ok --value FILE` or `--status error --error FILE`).
 * Success writes the output document to DIR/skill-value.json; failure (and a usage error) writes
 * DIR/skill-error.json as `{name, message, data}`: the error code, its message and the whole output,
 * which the orchestrator's process sees as a thrown Error. The names never collide with the files
 * the SDK keeps in a task folder (task.json, result.json, inputs.json, output.json, stdout.log, ...).
 */
// node:fs/promises is imported where used: it loads a dozen internal modules, a few ms of a one-call CLI log.
import { join } from 'node:path';
import type { SkillOutput } from '../contract/types.generated.js';
import { checkOutputTarget, writeOutput, type OutputTarget } from './output-target.js';
import { toStrictJson } from '../json/strict-json.js';

export const TASK_POST_VALUE = 'skill-value.json';
export const TASK_POST_ERROR = 'skill-error.json';

export interface TaskPostTarget {
  value: OutputTarget;
  error: OutputTarget;
}

/** The error file's document: what `task:post --status error --error FILE` reads. */
export interface TaskPostError {
  name: string;
  message: string;
  data: SkillOutput;
}

/** Checks DIR before the call runs (an existing, writable folder that is not the store); throws INVALID_INPUT. */
export function checkTaskPost(dir: string, env: Record<string, string | undefined>, cwd: string): TaskPostTarget {
  return { value: checkOutputTarget(join(dir, TASK_POST_VALUE), env, cwd), error: checkOutputTarget(join(dir, TASK_POST_ERROR), env, cwd) };
}

export function taskPostError(output: SkillOutput): TaskPostError {
  return { name: output.error?.code ?? 'INTERNAL', message: output.error?.message ?? 'the call failed', data: output };
}

/**
 * Writes the value or the error file (atomically) and removes the other one, left by an earlier
 * attempt, so a worker that retries a task never posts a stale file. Returns the path written.
 */
export async function writeTaskPost(target: TaskPostTarget, output: SkillOutput): Promise<string> {
  const ok = output.status === 'success';
  const [write, stale] = ok ? [target.value, target.error] : [target.error, target.value];
  await writeOutput(write, toStrictJson(ok ? output : taskPostError(output)) + '\n');
  if (!stale.special) await (await import('node:fs/promises')).rm(stale.path, { force: true });
  return write.path;
}

/** `--task-post DIR` (or `--task-post=DIR`) anywhere in argv, found before parsing so usage errors reach it too. */
export function taskPostDirOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a.startsWith('--task-post=')) return a.slice('--task-post='.length);
    if (a === '--task-post') return argv[i + 1];
  }
  return undefined;
}

/**
 * A usage error in the error file too, so a worker posts it like any other failure. Best effort: the
 * folder itself may be what is wrong, and stdout already has the document.
 */
export async function postUsageError(dir: string, env: Record<string, string | undefined>, cwd: string, doc: SkillOutput): Promise<void> {
  try {
    await writeTaskPost(checkTaskPost(dir, env, cwd), doc);
  } catch {
    // stdout and stderr already carry the usage error
  }
}
