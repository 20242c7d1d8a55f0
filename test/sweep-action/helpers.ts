import type { SkillOutput } from '../../src/contract/types.generated.js';
import { createSkillRunner, type SkillRunner } from '../../src/skill.js';
import { isolated, valid } from '../helpers/tmp.js';

/** A runner on an isolated offline store whose every output is checked against the schema. */
export function sweepCaller(
  dir: string,
  env: Record<string, string> = {},
): { call: (ctx: Record<string, unknown>) => Promise<SkillOutput>; runner: SkillRunner } {
  const runner = createSkillRunner({ ...isolated(dir, { WANDB_MODE: 'offline', ...env }) });
  return { runner, call: async (ctx) => valid(await runner.execute(ctx)) };
}

/** Logs `values` of `metric` to a run, one row each, then finishes it with `exitCode`. */
export async function playRun(
  call: (ctx: Record<string, unknown>) => Promise<SkillOutput>,
  project: string,
  runId: string,
  metric: string,
  values: number[],
  exitCode = 0,
): Promise<SkillOutput[]> {
  const outs: SkillOutput[] = [];
  for (const v of values) outs.push(await call({ action: 'log', project, runId, logData: { metrics: { [metric]: v } } }));
  await call({ action: 'finish', project, runId, exitCode });
  return outs;
}

export const GRID = {
  method: 'grid',
  metric: { name: 'loss', goal: 'minimize' },
  parameters: { lr: { values: [0.1, 0.01] }, hidden: { values: [8, 16] } },
};
