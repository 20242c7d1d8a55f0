/**
 * What a report shows beside history, read from tables other features own (artifacts, sweeps). Each
 * reader checks that its tables and columns exist first, so a store without them (or an older one)
 * gives an empty section, never an error.
 */
import type { Database } from 'better-sqlite3';
import type { ReportArtifact, ReportObjective } from '../../report/index.js';
import { parseExtended } from '../../json/extended-json.js';
import { parameterNames } from '../../sweeps/index.js';

function hasColumns(db: Database, table: string, columns: readonly string[]): boolean {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
  if (!exists) return false;
  const have = new Set((db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as Array<{ name: string }>).map((c) => c.name));
  return columns.every((c) => have.has(c));
}

export interface ArtifactReader {
  (runKey: number): { logged: ReportArtifact[]; used: ReportArtifact[] } | undefined;
}

/** Artifacts each run made (`output`) and used (`input`), from the artifacts feature's tables. */
export function artifactReader(db: Database): ArtifactReader {
  const ok =
    hasColumns(db, 'artifact_usage', ['run_key', 'version_key', 'direction']) &&
    hasColumns(db, 'artifact_versions', ['key', 'collection_key', 'version_index', 'digest', 'size']) &&
    hasColumns(db, 'artifact_collections', ['key', 'name', 'type']);
  if (!ok) return () => undefined;
  const usage = db.prepare(`SELECT c.name, c.type, v.key AS vkey, v.version_index, v.digest, v.size, u.direction
    FROM artifact_usage u JOIN artifact_versions v ON v.key = u.version_key JOIN artifact_collections c ON c.key = v.collection_key
    WHERE u.run_key = ? ORDER BY u.created_at, c.name`);
  const aliases = hasColumns(db, 'artifact_aliases', ['version_key', 'alias']) ? db.prepare('SELECT alias FROM artifact_aliases WHERE version_key = ? ORDER BY alias') : undefined;
  return (runKey) => {
    type Row = { name: string; type: string; vkey: number; version_index: number; digest: string; size: number; direction: string };
    const rows = usage.all(runKey) as Row[];
    if (rows.length === 0) return undefined;
    const out = { logged: [] as ReportArtifact[], used: [] as ReportArtifact[] };
    for (const r of rows) {
      const a: ReportArtifact = { name: r.name, type: r.type, version: `v${r.version_index}`, digest: r.digest, size: r.size };
      if (aliases) a.aliases = (aliases.all(r.vkey) as Array<{ alias: string }>).map((x) => x.alias);
      (r.direction === 'output' ? out.logged : out.used).push(a);
    }
    return out;
  };
}

export interface SweepInfo {
  method: string;
  state?: string;
  metric?: ReportObjective;
  parameters: string[];
}

/** The sweep's method, metric and parameters from the sweeps table, when the store has it. */
export function readSweep(db: Database, project: string, sweepId: string): SweepInfo | undefined {
  if (!hasColumns(db, 'sweeps', ['id', 'project', 'config'])) return undefined;
  const row = db.prepare('SELECT * FROM sweeps WHERE project = ? AND id = ?').get(project, sweepId) as Record<string, unknown> | undefined;
  if (row === undefined || typeof row['config'] !== 'string') return undefined;
  const config = parseExtended(row['config']) as Record<string, unknown>;
  const info: SweepInfo = {
    method: typeof row['method'] === 'string' ? row['method'] : typeof config['method'] === 'string' ? config['method'] : 'unknown',
    parameters: parameterNames(config['parameters']),
  };
  if (typeof row['state'] === 'string') info.state = row['state'];
  const metric = config['metric'] as { name?: unknown; goal?: unknown } | undefined;
  if (metric && typeof metric.name === 'string') info.metric = { name: metric.name, goal: metric.goal === 'maximize' ? 'maximize' : 'minimize' };
  return info;
}

/** Config keys whose values differ between runs: a sweep's parameters when the sweep config is gone. */
export function varyingConfigKeys(configs: ReadonlyArray<Record<string, unknown>>): string[] {
  const values = new Map<string, Set<string>>();
  for (const c of configs) {
    for (const [k, v] of Object.entries(c)) {
      if (k.startsWith('_')) continue;
      const set = values.get(k) ?? new Set<string>();
      set.add(JSON.stringify(v));
      values.set(k, set);
    }
  }
  return [...values].filter(([, s]) => s.size > 1).map(([k]) => k);
}

/** A guess at a metric's direction from its name, used only when nothing says otherwise. */
export function guessGoal(metric: string): 'minimize' | 'maximize' {
  return /loss|err|mse|mae|rmse|perplexity|ppl|cost|regret|latency|time/i.test(metric) ? 'minimize' : 'maximize';
}
