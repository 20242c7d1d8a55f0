import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { binPath } from '../helpers/tmp.js';
import type { CliResult } from '../helpers/cli.js';

/**
 * A sweep run's program: joins its run with `init` through the wandb-skill CLI (WANDB_RUN_ID),
 * logs `loss = base * (1 + 1/(epoch+1))` per epoch, and exits with `--exit`. `--obey=1` makes it
 * exit when a log answers shouldStop; `--ignore_term=1` makes it ignore SIGTERM. `--case` picks a
 * preset: good (3 epochs of base 1), bad (base 10, endless), stubborn (base 20, endless, ignores SIGTERM).
 */
export const TRAIN = `
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
const PRESETS = { good: { base: '1', epochs: '3' }, bad: { base: '10', epochs: '100000', sleep: '20' }, stubborn: { base: '20', epochs: '100000', sleep: '20', ignore_term: '1' } };
const given = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const args = { ...(PRESETS[given.case] ?? {}), ...given };
if (args.ignore_term === '1') process.on('SIGTERM', () => appendFileSync('events.log', 'ignored SIGTERM\\n'));
const call = (ctx) => JSON.parse(execFileSync(process.execPath, [process.env.SKILL_BIN, JSON.stringify(ctx)], { encoding: 'utf8' }));
const init = call({ action: 'init' });
if (init.status !== 'success' || init.runId !== process.env.WANDB_RUN_ID) { console.error('bad init', JSON.stringify(init)); process.exit(3); }
appendFileSync('events.log', 'started ' + init.runId + ' ' + process.env.WANDB_SWEEP_ID + ' ' + process.env.WANDB_SWEEP_PARAM_PATH + '\\n');
const epochs = Number(args.epochs ?? 3);
for (let epoch = 0; epoch < epochs; epoch++) {
  const out = call({ action: 'log', logData: { metrics: { loss: Number(args.base) * (1 + 1 / (epoch + 1)), epoch } } });
  if (out.status !== 'success') { console.error('log failed', JSON.stringify(out)); process.exit(4); }
  if (out.shouldStop) { appendFileSync('events.log', 'shouldStop ' + init.runId + '\\n'); if (args.obey === '1') process.exit(0); }
  if (args.sleep) await new Promise((r) => setTimeout(r, Number(args.sleep)));
}
process.exit(Number(args.exit ?? 0));
`;

export function writeTrain(dir: string): void {
  writeFileSync(join(dir, 'train.mjs'), TRAIN);
}

export const AGENT_ENV = (extra: Record<string, string> = {}) => ({ WANDB_MODE: 'offline', SKILL_BIN: binPath, ...extra });

/** Starts `wandb-skill agent ...` in a child process without waiting for it. */
export function startAgent(args: string[], cwd: string, env: Record<string, string>): { child: ChildProcess; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [binPath, 'agent', ...args], {
    cwd,
    env: { PATH: process.env['PATH'] ?? '', HOME: cwd, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}

export async function waitFor<T>(fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 20000, stepMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
