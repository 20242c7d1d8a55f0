import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { pythonJsonDumps, toWandbArgs } from '../sweeps/index.js';

/** `<dir>/wandb/sweep-<sweepId>/`, where W&B's agent writes each run's parameter files. */
export function sweepDir(dir: string, sweepId: string): string {
  return join(dir, 'wandb', `sweep-${sweepId}`);
}

/** Writes `config-<runId>.yaml` (`{param: {value: v}}`, W&B's WANDB_SWEEP_PARAM_PATH file); returns its path. */
export function writeParamFile(dir: string, sweepId: string, runId: string, config: Record<string, unknown>): string {
  const folder = sweepDir(dir, sweepId);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `config-${runId}.yaml`);
  writeFileSync(path, toYaml(toWandbArgs(config)));
  return path;
}

/** Writes `config-<runId>.json` (the `${args_json_file}` macro: the args as Python's json.dumps); returns its path. */
export function writeArgsJsonFile(dir: string, sweepId: string, runId: string, config: Record<string, unknown>): string {
  const folder = sweepDir(dir, sweepId);
  mkdirSync(folder, { recursive: true });
  const path = join(folder, `config-${runId}.json`);
  writeFileSync(path, pythonJsonDumps(config));
  return path;
}
