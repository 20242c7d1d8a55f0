import { resolveSettings, parseEnv } from '../settings.js';
import { createLogger } from '../logger.js';
import type { Subcommand } from './subcommands.js';
import { usageError, write, type CliIo } from './io.js';

const USAGE = `Usage: wandb-skill serve [--port N] [--host H] [--dir D] [--store FILE] [--allow-remote]

Starts the local dashboard over the store (default http://127.0.0.1:8765) and prints its address
as the first line on stdout. --port 0 picks a free port. --dir is W&B's root folder (default
WANDB_DIR, else the current folder); --store names the store file directly. A host that is not
loopback needs --allow-remote. Stops on SIGINT or SIGTERM.
`;

import type { StopSignals } from './io.js';
export type { StopSignals };

function usage(io: CliIo, message: string): Promise<number> {
  return usageError(io, message, { action: 'serve', prefix: 'wandb-skill serve', help: USAGE });
}

/** `wandb-skill serve` with the stop signals given. */
export async function serveWith(args: string[], io: CliIo, signals: StopSignals): Promise<number> {
  let port = 8765;
  let host = '127.0.0.1';
  let dir: string | undefined;
  let storePath: string | undefined;
  let allowRemote = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const eq = a.indexOf('=');
    const flag = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = (): string | undefined => (eq > 0 && a.startsWith('--') ? a.slice(eq + 1) : args[++i]);
    if (flag === '--help' || flag === '-h') {
      await write(io.stdout, USAGE);
      return 0;
    } else if (flag === '--port' || flag === '-p') {
      const v = value();
      if (v === undefined || !/^\d+$/.test(v) || Number(v) > 65535) return usage(io, '--port needs a number from 0 to 65535');
      port = Number(v);
    } else if (flag === '--host') {
      const v = value();
      if (v === undefined || v === '') return usage(io, '--host needs an address');
      host = v;
    } else if (flag === '--dir') {
      dir = value();
      if (dir === undefined) return usage(io, '--dir needs a folder');
    } else if (flag === '--store') {
      storePath = value();
      if (storePath === undefined) return usage(io, '--store needs a file');
    } else if (flag === '--allow-remote') {
      allowRemote = true;
    } else return usage(io, `unknown argument ${a}`);
  }
  let settings;
  try {
    settings = resolveSettings({ action: 'init' }, { env: parseEnv(io.env), cwd: io.cwd, dir, storePath });
  } catch (err) {
    return usage(io, err instanceof Error ? err.message : String(err));
  }
  const { startDashboard, isLoopback } = await import('../dashboard/index.js');
  if (!isLoopback(host)) {
    if (!allowRemote) return usage(io, `${host} is not a loopback address; pass --allow-remote to expose the dashboard`);
    await write(
      io.stderr,
      `wandb-skill serve: WARNING: listening on ${host}; anyone who can reach it can read every run in ${settings.storePath} (no authentication)\n`,
    );
  }
  const logger = createLogger({ level: io.env['WANDB_SKILL_LOG_LEVEL'] ?? 'warn', destination: io.stderr });
  let dashboard;
  try {
    dashboard = await startDashboard({ storePath: settings.storePath, dir: settings.dir, port, host, allowRemote, logger });
  } catch (err) {
    await write(io.stderr, `wandb-skill serve: cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  // Listen for the stop before printing the address: a script may signal as soon as it reads it.
  const stopped = new Promise<void>((done) => {
    const stop = (): void => {
      signals.off('SIGINT', stop);
      signals.off('SIGTERM', stop);
      done();
    };
    signals.once('SIGINT', stop);
    signals.once('SIGTERM', stop);
  });
  await write(io.stdout, `${dashboard.url}\n`);
  await write(io.stderr, `wandb-skill serve: dashboard for ${settings.storePath}; Ctrl-C stops it\n`);
  await stopped;
  await dashboard.close();
  return 0;
}

/** `wandb-skill serve`: the local dashboard until SIGINT or SIGTERM. */
export const serve: Subcommand = (args, io) => serveWith(args, io, io.signals ?? { once: () => undefined, off: () => undefined });
