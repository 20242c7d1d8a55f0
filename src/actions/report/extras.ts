/**
 * What a report shows beside history, read through the store from tables other features own
 * (artifacts, sweeps).
 */
import type { ReportArtifact, ReportObjective } from '../../report/index.js';
import type { Store } from '../../store/index.js';
import { parameterNames } from '../../sweeps/index.js';

export interface ArtifactReader {
  (runKey: number): { logged: ReportArtifact[]; used: ReportArtifact[] } | undefined;
}

/** Artifacts each run made (`output`) and used (`input`), from the artifacts feature's tables. */
export function artifactReader(store: Store): ArtifactReader {
  return (runKey) => {
    const rows = store.artifactViews.ofRun(runKey);
    if (rows.length === 0) return undefined;
    const out = { logged: [] as ReportArtifact[], used: [] as ReportArtifact[] };
    for (const r of rows) {
      const a: ReportArtifact = { name: r.name, type: r.type, version: `v${r.versionIndex}`, digest: r.digest, size: r.size };
      a.aliases = store.artifacts.aliasesOf(r.versionKey);
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

/** The sweep's method, state, metric and parameters from the sweeps table, when the store has the sweep. */
export function readSweep(store: Store, project: string, sweepId: string): SweepInfo | undefined {
  const sweep = store.sweeps.get(project, sweepId);
  if (sweep === undefined) return undefined;
  const config = sweep.config;
  const info: SweepInfo = { method: sweep.method, parameters: parameterNames(config['parameters']), state: sweep.state };
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
