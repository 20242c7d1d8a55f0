import { spawn } from 'node:child_process';
import type { Writable } from 'node:stream';

/** W&B's agent waits this long after SIGTERM before SIGKILL (its KILL_DELAY). */
export const DEFAULT_KILL_DELAY_MS = 30_000;

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the program could not be started at all. */
  error?: string;
}

export interface ChildRun {
  readonly pid: number | undefined;
  readonly exited: Promise<ChildExit>;
  /** True once stop() was called. */
  readonly stopping: boolean;
  /** SIGTERM now; SIGKILL if the child is still alive `killDelayMs` later. */
  stop(): void;
}

export interface SpawnChildOptions {
  cwd: string;
  env: Record<string, string | undefined>;
  killDelayMs?: number | undefined;
  /** Where the child's stdout and stderr go (default: discarded). */
  output?: Writable | undefined;
}

/** Starts one sweep run's program (no shell) and lets the agent stop it. */
export function spawnChild(argv: readonly string[], options: SpawnChildOptions): ChildRun {
  const [file, ...args] = argv as [string, ...string[]];
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', options.output ? 'pipe' : 'ignore', options.output ? 'pipe' : 'ignore'],
  });
  if (options.output) {
    const out = options.output;
    // Not piped with end: true; the agent's stream outlives every child.
    child.stdout?.on('data', (c: Buffer) => out.write(c));
    child.stderr?.on('data', (c: Buffer) => out.write(c));
  }
  let stopping = false;
  let killTimer: NodeJS.Timeout | undefined;
  const exited = new Promise<ChildExit>((resolve) => {
    let done = false;
    const finish = (e: ChildExit) => {
      if (done) return;
      done = true;
      if (killTimer) clearTimeout(killTimer);
      resolve(e);
    };
    child.once('error', (err) => finish({ code: 127, signal: null, error: err.message }));
    child.once('close', (code, signal) => finish({ code, signal }));
  });
  return {
    get pid() {
      return child.pid;
    },
    exited,
    get stopping() {
      return stopping;
    },
    stop() {
      if (stopping) return;
      stopping = true;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }, options.killDelayMs ?? DEFAULT_KILL_DELAY_MS);
    },
  };
}
