/**
 * W&B's official Python client for the tests that compare against it: WANDB_OFFICIAL_CLIENT names its
 * `wandb` executable, or ../shared/wandb/official-client/venv holds it (make-venv.sh there builds it).
 * Without it those tests are skipped with `skipReason` (CI need not build it).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoRoot } from '../helpers/tmp.js';

function find(): string | undefined {
  const given = process.env['WANDB_OFFICIAL_CLIENT'];
  if (given !== undefined && given !== '' && existsSync(given)) return given;
  const venv = join(repoRoot, '..', 'shared', 'wandb', 'official-client', 'venv', 'bin', 'wandb');
  return existsSync(venv) ? venv : undefined;
}

export const officialClient = find();

export const skipReason =
  officialClient === undefined
    ? "W&B's official Python client is not installed here (set WANDB_OFFICIAL_CLIENT to its wandb executable, or run ../shared/wandb/official-client/make-venv.sh ../shared/wandb/official-client/venv)"
    : false;

/** `wandb sync PATH` with the official client against a W&B server; rejects with its output on failure. */
export function officialSync(path: string, opts: { cwd: string; apiKey: string; baseUrl: string; entity: string }): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    execFile(
      officialClient as string,
      ['sync', path],
      {
        cwd: opts.cwd,
        env: { PATH: process.env['PATH'] ?? '', HOME: opts.cwd, WANDB_API_KEY: opts.apiKey, WANDB_BASE_URL: opts.baseUrl, WANDB_ENTITY: opts.entity },
        timeout: 150_000,
      },
      (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout + stderr)),
    );
  });
}

/** Runs a script with the official client's Python (the `python` beside its `wandb`), offline, in `cwd`; resolves with its stdout. */
export function officialPython(args: string[], opts: { cwd: string }): Promise<string> {
  const env = {
    PATH: process.env['PATH'] ?? '',
    HOME: opts.cwd,
    WANDB_MODE: 'offline',
    WANDB_SILENT: 'true',
    WANDB_X_DISABLE_META: 'true',
    WANDB_DISABLE_CODE: 'true',
    WANDB_DISABLE_GIT: 'true',
  };
  return new Promise<string>((resolve, reject) => {
    execFile(join(dirname(officialClient as string), 'python'), args, { cwd: opts.cwd, env, timeout: 150_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
    );
  });
}
