import type { Subcommand } from './subcommands.js';
import { usageError, write, type CliIo } from './io.js';
import { toStrictJson } from '../json/strict-json.js';
import { createLogger } from '../logger.js';
import { toErrorPayload } from '../errors.js';
import { runAgent } from '../agent/run-agent.js';

const USAGE = `Usage: wandb-skill agent SWEEP_ID [--count N] [--project P] [--entity E]
                          [--kill-delay-ms MS] [--poll-ms MS] [--log-level LEVEL]

Runs the sweep's program (its "command", else W&B's default \${env} \${interpreter} \${program} \${args})
for the sweep's next runs, with WANDB_SWEEP_ID, WANDB_RUN_ID and WANDB_SWEEP_PARAM_PATH set, until the
sweep is done or N runs ran. A run the sweep stops (hyperband, cancel) gets SIGTERM, then SIGKILL after
the kill delay (default 30000 ms). The programs' output goes to stderr; stdout gets one JSON summary.
`;

const NUMERIC = new Set(['--count', '--kill-delay-ms', '--poll-ms', '--heartbeat-ms']);
const TEXT = new Set(['--project', '--entity', '--log-level']);

function usage(io: CliIo, message: string): Promise<number> {
  return usageError(io, message, { action: 'agent', prefix: 'wandb-skill agent', help: USAGE });
}

/** `wandb-skill agent SWEEP_ID [--count N]`: W&B's `wandb agent` over this store (and W&B's server online). */
export const agent: Subcommand = async (args, io) => {
  const flags = new Map<string, string>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--help' || a === '-h') {
      await write(io.stdout, USAGE);
      return 0;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      if (!NUMERIC.has(name) && !TEXT.has(name)) return usage(io, `unknown option ${name}`);
      const value = eq > 0 ? a.slice(eq + 1) : args[++i];
      if (value === undefined) return usage(io, `${name} needs a value`);
      if (NUMERIC.has(name) && !/^\d+$/.test(value)) return usage(io, `${name} must be a whole number`);
      flags.set(name, value);
    } else {
      positional.push(a);
    }
  }
  if (positional.length !== 1) return usage(io, positional.length === 0 ? 'missing SWEEP_ID' : 'expected one SWEEP_ID');
  const num = (name: string) => (flags.has(name) ? Number(flags.get(name)) : undefined);
  const logger = createLogger({ level: flags.get('--log-level') ?? io.env['WANDB_SKILL_LOG_LEVEL'] ?? 'warn', destination: io.stderr });
  // The agent outlives many children: a SIGINT/SIGTERM to it must stop the current child (as killed)
  // rather than orphan it. The signals come from bin.ts through io.
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  io.signals?.once('SIGINT', onSignal);
  io.signals?.once('SIGTERM', onSignal);
  try {
    const count = num('--count');
    const killDelayMs = num('--kill-delay-ms');
    const pollMs = num('--poll-ms');
    const heartbeatMs = num('--heartbeat-ms');
    const project = flags.get('--project');
    const entity = flags.get('--entity');
    const result = await runAgent({
      sweepId: positional[0] as string,
      env: io.env,
      cwd: io.cwd,
      logger,
      output: io.stderr,
      signal: controller.signal,
      ...(count !== undefined ? { count } : {}),
      ...(killDelayMs !== undefined ? { killDelayMs } : {}),
      ...(pollMs !== undefined ? { pollMs } : {}),
      ...(heartbeatMs !== undefined ? { heartbeatMs } : {}),
      ...(project !== undefined ? { project } : {}),
      ...(entity !== undefined ? { entity } : {}),
      onRun: (e) => {
        const line =
          e.phase === 'start'
            ? `wandb-skill agent: run ${e.runId} started ${JSON.stringify(e.config)}\n`
            : `wandb-skill agent: run ${e.runId} ${e.result?.state}${e.result?.stopReason ? ` (${e.result.stopReason})` : ''}\n`;
        io.stderr.write(line);
      },
    });
    await write(io.stdout, toStrictJson({ status: 'success', action: 'agent', ...result }) + '\n');
    return 0;
  } catch (err) {
    await write(io.stdout, toStrictJson({ status: 'error', action: 'agent', error: toErrorPayload(err) }) + '\n');
    return 1;
  } finally {
    io.signals?.off('SIGINT', onSignal);
    io.signals?.off('SIGTERM', onSignal);
  }
};
