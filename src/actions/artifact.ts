import { invalidInput } from '../errors.js';
import { checkNamedRun } from '../runs/lifecycle.js';
import type { ActionContext, ActionHandler, ActionResult } from './context.js';

type Operation = 'log' | 'use' | 'download' | 'link' | 'lineage';
const OPERATIONS: readonly Operation[] = ['log', 'use', 'download', 'link', 'lineage'];

/** The operation of a call: as given, else `log` when there is something to log, else `use`. */
function operationOf(ctx: ActionContext): Operation {
  const op = ctx.input.operation;
  const cfg = ctx.input.artifactConfig;
  if (op !== undefined) {
    if (!(OPERATIONS as readonly string[]).includes(op)) {
      throw invalidInput('operation', `the artifact action takes ${OPERATIONS.join(', ')}; "${op}" is a sweep operation`);
    }
    return op as Operation;
  }
  if (cfg?.path !== undefined || (cfg?.references ?? []).length > 0) return 'log';
  if (cfg?.downloadPath !== undefined) return 'download';
  if (cfg?.registry !== undefined) return 'link';
  if (cfg?.name !== undefined) return 'use';
  throw invalidInput('artifactConfig', 'required: name and type with a path to log, or name (name:alias) for use, download, link, lineage');
}

/**
 * `artifact`: W&B artifacts. `log` (default with a path) makes a version, `use` records an input and
 * materialises its files, `download` copies them into a folder, `link` puts a version into a
 * registry collection, `lineage` answers the graph of runs and versions around a version.
 * Each operation lives in its own module, loaded on first use.
 */
export const artifact: ActionHandler = async (ctx): Promise<ActionResult> => {
  const op = operationOf(ctx);
  if (ctx.settings.mode === 'disabled' && op !== 'log') {
    throw invalidInput('mode', `artifact ${op} needs the store; mode "disabled" keeps none`);
  }
  // log and use record the run as lineage and check it themselves.
  if (op === 'download' || op === 'link' || op === 'lineage') checkNamedRun(ctx, ctx.store());
  switch (op) {
    case 'log':
      return (await import('./artifact/log.js')).logArtifact(ctx);
    case 'use':
      return (await import('./artifact/use.js')).useArtifact(ctx);
    case 'download':
      return (await import('./artifact/download.js')).downloadArtifact(ctx);
    case 'link':
      return (await import('./artifact/link.js')).linkArtifactVersion(ctx);
    case 'lineage':
      return (await import('./artifact/lineage.js')).artifactLineage(ctx);
  }
};
