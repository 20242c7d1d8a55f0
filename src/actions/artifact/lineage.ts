/**
 * `artifact` / `lineage`: the runs that made and used a version, and the versions those runs used
 * and made, as a graph `{root, nodes, edges}`. Edges point the way data flows: an output edge goes
 * run → artifact, an input edge artifact → run (W&B's lineage view draws them so).
 */
import type { ArtifactsTable, VersionRecord } from '../../store/artifacts.js';
import type { RunRecord, Store } from '../../store/index.js';
import type { ActionContext, ActionResult } from '../context.js';
import { artifactsOf, registryOf, resolveRef, runByKey, versionRefOf, versionResult } from './common.js';

export interface LineageNode {
  id: string;
  kind: 'artifact' | 'run';
  [field: string]: unknown;
}

export interface LineageEdge {
  from: string;
  to: string;
  kind: 'output' | 'input';
}

const artifactNodeId = (v: VersionRecord): string => `artifact:${v.project}/${v.name}:v${v.versionIndex}`;
const runNodeId = (r: RunRecord): string => `run:${r.project}/${r.id}`;

/** The lineage graph around one version (one hop to its runs, one more to their other versions). */
export function lineageOf(store: Store, table: ArtifactsTable, root: VersionRecord): { root: string; nodes: LineageNode[]; edges: LineageEdge[] } {
  const nodes = new Map<string, LineageNode>();
  const edges = new Map<string, LineageEdge>();
  const versions = new Map<number, VersionRecord>([[root.key, root]]);
  const runs = new Map<number, RunRecord | undefined>();
  const addVersion = (v: VersionRecord): string => {
    const id = artifactNodeId(v);
    if (!nodes.has(id)) {
      nodes.set(id, {
        id,
        kind: 'artifact',
        project: v.project,
        name: v.name,
        type: v.type,
        version: `v${v.versionIndex}`,
        digest: v.digest,
        aliases: table.aliasesOf(v.key),
      });
    }
    return id;
  };
  const runOf = (key: number): RunRecord | undefined => {
    if (!runs.has(key)) runs.set(key, runByKey(store, key));
    return runs.get(key);
  };
  const addRun = (r: RunRecord): string => {
    const id = runNodeId(r);
    if (!nodes.has(id)) nodes.set(id, { id, kind: 'run', project: r.project, runId: r.id, name: r.displayName, state: r.state });
    return id;
  };
  const addEdge = (runId: string, artifactId: string, kind: 'output' | 'input'): void => {
    const e: LineageEdge = kind === 'output' ? { from: runId, to: artifactId, kind } : { from: artifactId, to: runId, kind };
    edges.set(`${e.from}>${e.to}>${kind}`, e);
  };
  addVersion(root);
  for (const edge of table.usageOfVersion(root.key)) {
    const run = runOf(edge.runKey);
    if (run === undefined) continue;
    const runId = addRun(run);
    for (const other of table.usageOfRun(run.key)) {
      let v = versions.get(other.versionKey);
      if (v === undefined) {
        v = table.version(other.versionKey);
        if (v === undefined) continue;
        versions.set(v.key, v);
      }
      addEdge(runId, addVersion(v), other.direction);
    }
  }
  return { root: artifactNodeId(root), nodes: [...nodes.values()], edges: [...edges.values()] };
}

export function artifactLineage(ctx: ActionContext): ActionResult {
  const ref = versionRefOf(ctx);
  const store = ctx.store();
  const table = artifactsOf(store);
  const { version, link } = resolveRef(ctx, table, ref);
  const extra = link !== undefined ? { registry: registryOf(table, link) } : {};
  return { ...versionResult(ctx, table, version, extra), lineage: lineageOf(store, table, version) };
}
