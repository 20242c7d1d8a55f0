import type { Subcommand } from './subcommands.js';
import { createLogger } from '../logger.js';
import { toErrorPayload } from '../errors.js';
import { syncRuns, type SyncProgress } from '../sync/index.js';
import { usageError, write } from './io.js';
import { toStrictJson } from '../json/strict-json.js';

const USAGE = 'usage: wandb-skill sync [RUN_ID ...] [--project P] [--entity E]\n';

/**
 * `wandb-skill sync`: uploads runs with unsent data. Progress goes to stderr (a bar on a terminal,
 * plain lines otherwise); stdout gets one JSON document with the outcome per run.
 */
export const sync: Subcommand = async (args, io) => {
  const runIds: string[] = [];
  let project: string | undefined;
  let entity: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--project' || a === '--entity') {
      const v = args[++i];
      if (v === undefined) return usageError(io, `${a} needs a value`, { action: 'sync', prefix: 'wandb-skill sync', help: USAGE });
      if (a === '--project') project = v;
      else entity = v;
    } else if (a === '--help' || a === '-h') {
      await write(io.stdout, USAGE);
      return 0;
    } else if (a.startsWith('-')) {
      return usageError(io, `unknown option ${a}`, { action: 'sync', prefix: 'wandb-skill sync', help: USAGE });
    } else runIds.push(a);
  }
  const tty = io.stderr.isTTY === true;
  const progress = (p: SyncProgress): void => {
    const status = p.synced ? 'synced' : `failed (${p.error ?? 'unknown'})`;
    if (tty) {
      const width = 24;
      const filled = Math.round((p.done / Math.max(1, p.total)) * width);
      io.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} ${p.project}/${p.runId} ${status}\x1b[K`);
      if (p.done === p.total) io.stderr.write('\n');
    } else {
      io.stderr.write(`sync ${p.done}/${p.total} ${p.project}/${p.runId}: ${status}, ${p.linesSent} history lines\n`);
    }
  };
  try {
    const result = await syncRuns({
      env: io.env,
      cwd: io.cwd,
      logger: createLogger({ level: io.env['WANDB_SKILL_LOG_LEVEL'] ?? 'warn', destination: io.stderr }),
      runIds,
      ...(project !== undefined ? { project } : {}),
      ...(entity !== undefined ? { entity } : {}),
      onRunSynced: progress,
    });
    if (result.runs.length === 0) io.stderr.write('sync: nothing to send\n');
    const failures = (result.artifacts?.['failures'] as unknown[] | undefined) ?? [];
    const ok = result.runs.every((r) => r.synced) && failures.length === 0;
    await write(io.stdout, toStrictJson({ status: ok ? 'success' : 'error', action: 'sync', ...result }) + '\n');
    return ok ? 0 : 1;
  } catch (err) {
    await write(io.stdout, toStrictJson({ status: 'error', action: 'sync', error: toErrorPayload(err) }) + '\n');
    return 1;
  }
};
