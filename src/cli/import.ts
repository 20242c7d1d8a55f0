import type { Subcommand } from './subcommands.js';
import { toErrorPayload } from '../errors.js';
import { usageError, write } from './io.js';
import { toStrictJson } from '../json/strict-json.js';

const USAGE =
  'usage: wandb-skill import PATH... [--replace] [--project P]\n' + '  PATH: a W&B offline run folder, a .wandb file, or a wandb/ folder holding run folders\n';

/**
 * `wandb-skill import`: W&B's offline run files into the store. stdout gets one JSON document with
 * the outcome per file; a file read only in part is imported up to the damage and said so in `warnings`.
 */
export const importRuns: Subcommand = async (args, io) => {
  const paths: string[] = [];
  let replace = false;
  let project: string | undefined;
  const usage = (m: string, field?: string) => usageError(io, m, { action: 'import', prefix: 'wandb-skill import', help: USAGE, ...(field ? { field } : {}) });
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--replace') replace = true;
    else if (a === '--project') {
      const v = args[++i];
      if (v === undefined || v === '') return usage('--project needs a value', 'project');
      project = v;
    } else if (a === '--help' || a === '-h') {
      await write(io.stdout, USAGE);
      return 0;
    } else if (a.startsWith('-') && a !== '-') return usage(`unknown option ${a}`, a);
    else paths.push(a);
  }
  if (paths.length === 0) return usage('name at least one PATH to import', 'paths');
  try {
    const { importWandbRuns } = await import('../wandb-files/import.js');
    const result = await importWandbRuns(paths, { env: io.env, cwd: io.cwd, replace, ...(project !== undefined ? { project } : {}) });
    const bad = result.imported.filter((r) => r.status === 'failed' || r.status === 'conflict');
    const warnings = result.imported
      .filter((r) => r.stopped !== undefined)
      .map(
        (r) => `${r.path}: read stopped at byte ${r.stopped?.offset} (record ${r.stopped?.record}): ${r.stopped?.reason}; the records before it were imported`,
      );
    const doc: Record<string, unknown> = { status: bad.length === 0 ? 'success' : 'error', action: 'import', imported: result.imported };
    if (warnings.length > 0) doc['warnings'] = warnings;
    if (bad.length > 0) {
      const code = bad.every((r) => r.status === 'conflict') ? 'CONFLICT' : (bad.find((r) => r.status === 'failed')?.error?.code ?? 'INVALID_INPUT');
      doc['error'] = { code, message: bad.map((r) => `${r.path}: ${r.error?.message ?? r.status}`).join('; ') };
    }
    await write(io.stdout, toStrictJson(doc) + '\n');
    return bad.length === 0 ? 0 : 1;
  } catch (err) {
    await write(io.stdout, toStrictJson({ status: 'error', action: 'import', error: toErrorPayload(err) }) + '\n');
    return 1;
  }
};
