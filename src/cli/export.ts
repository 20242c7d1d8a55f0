import type { Subcommand } from './subcommands.js';
import { toErrorPayload } from '../errors.js';
import { usageError, write } from './io.js';
import { toStrictJson } from '../json/strict-json.js';

const USAGE =
  'usage: wandb-skill export [RUN_ID ...] [--out DIR] [--project P]\n' +
  '  writes W&B offline run folders (offline-run-<time>-<id>/run-<id>.wandb + files/) that `wandb sync DIR` uploads\n';

/** `wandb-skill export`: runs of the store as W&B's offline run folders; stdout gets one JSON document. */
export const exportRuns: Subcommand = async (args, io) => {
  const runIds: string[] = [];
  let out: string | undefined;
  let project: string | undefined;
  const usage = (m: string, field?: string) => usageError(io, m, { action: 'export', prefix: 'wandb-skill export', help: USAGE, ...(field ? { field } : {}) });
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--out' || a === '--project') {
      const v = args[++i];
      if (v === undefined || v === '') return usage(`${a} needs a value`, a.slice(2));
      if (a === '--out') out = v;
      else project = v;
    } else if (a === '--help' || a === '-h') {
      await write(io.stdout, USAGE);
      return 0;
    } else if (a.startsWith('-')) return usage(`unknown option ${a}`, a);
    else runIds.push(a);
  }
  try {
    const { exportWandbRuns } = await import('../wandb-files/export.js');
    const result = await exportWandbRuns({
      env: io.env,
      cwd: io.cwd,
      runIds,
      ...(out !== undefined ? { out } : {}),
      ...(project !== undefined ? { project } : {}),
    });
    await write(io.stdout, toStrictJson({ status: 'success', action: 'export', exported: result.exported }) + '\n');
    return 0;
  } catch (err) {
    await write(io.stdout, toStrictJson({ status: 'error', action: 'export', error: toErrorPayload(err) }) + '\n');
    return 1;
  }
};
