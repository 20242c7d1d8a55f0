// The shared fixture of the alert tests: a clock the test moves, the store read back, a run to alert on.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { executeSkill } from '../../src/index.js';
import type { SkillOptions } from '../../src/skill.js';
import { isolated, valid } from '../helpers/tmp.js';

export const T0 = 1_700_000_000_000;

export function db(dir: string): Database.Database {
  return new Database(join(dir, 'wandb', 'skill-store.sqlite'), { readonly: true });
}

/** A clock the test moves, and options for an isolated offline call that uses it. */
export function setup(dir: string, env: Record<string, string> = {}, extra: Partial<SkillOptions> = {}) {
  const clock = { now: T0 };
  const options: SkillOptions = { ...isolated(dir, env), now: () => clock.now, ...extra };
  return { clock, options };
}

export async function initRun(options: SkillOptions, name = 'r'): Promise<string> {
  const out = valid(await executeSkill({ action: 'init', project: 'p', runConfig: { name } }, options));
  return out.runId as string;
}
