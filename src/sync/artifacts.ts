/**
 * Sending what the store holds and W&B has not seen: versions (with their producing runs' output
 * edges), input edges, then registry links, in that order (a link or a use needs the version on
 * the server first). Called by `wandb-skill sync` with its own connection.
 */
import { normalizeError } from '../errors.js';
import type { Connection } from '../online/connection.js';
import type { OnlineScope } from '../online/scope.js';
import type { Store } from '../store/index.js';
import { pushInput, pushLink, pushVersion, runByKey } from '../online/artifacts.js';

export interface ArtifactSyncResult {
  versions: number;
  outputs: number;
  inputs: number;
  links: number;
  /** One line per item that failed again (it stays unsent for the next sync). */
  failures: string[];
}

/** Pushes every unsent artifact version, usage edge and registry link; never throws for one item. */
export async function syncArtifacts(scope: OnlineScope, store: Store, conn: Connection): Promise<ArtifactSyncResult> {
  const table = store.artifacts;
  const result: ArtifactSyncResult = { versions: 0, outputs: 0, inputs: 0, links: 0, failures: [] };
  const attempt = async (label: string, fn: () => Promise<unknown>): Promise<boolean> => {
    try {
      await fn();
      return true;
    } catch (err) {
      const e = normalizeError(err);
      result.failures.push(`${label}: ${e.code}: ${e.message}`);
      return false;
    }
  };
  for (const v of table.unsentVersions()) {
    const label = `artifact ${v.project}/${v.name}:v${v.versionIndex}`;
    if (await attempt(label, () => pushVersion(scope, store, conn, v, runByKey(store, v.createdBy)))) result.versions += 1;
  }
  // Output edges of runs that logged content identical to an existing version (createArtifact again).
  for (const edge of table.unsentOutputs()) {
    const v = table.version(edge.versionKey);
    const run = runByKey(store, edge.runKey);
    if (v === undefined || run === undefined) continue;
    if (await attempt(`output of ${run.id} → ${v.name}:v${v.versionIndex}`, () => pushVersion(scope, store, conn, v, run))) result.outputs += 1;
  }
  for (const edge of table.unsentInputs()) {
    const v = table.version(edge.versionKey);
    const run = runByKey(store, edge.runKey);
    if (v === undefined || run === undefined) continue;
    if (await attempt(`use of ${v.name}:v${v.versionIndex} by ${run.id}`, () => pushInput(scope, store, conn, table.version(v.key) ?? v, run)))
      result.inputs += 1;
  }
  for (const link of table.unsentLinks()) {
    if (await attempt(`link ${link.registryProject}/${link.portfolio}:v${link.linkIndex}`, () => pushLink(scope, store, conn, link))) result.links += 1;
  }
  return result;
}
