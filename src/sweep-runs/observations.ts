import { parseExtended } from '../json/extended-json.js';
import { runMetricValue, type SweepRunObservation, type SweepRunState } from '../sweeps/index.js';
import type { LoadedSweep } from './load.js';
import { sweepMetricValues } from './metric-values.js';
import type { SweepStore } from './tables.js';

/** A run's parsed config, kept while its stored text is the same. */
type ParsedConfigs = Map<number, { text: string; config: Record<string, unknown> }>;

/**
 * The sweep's runs as its search reads them (inside a write transaction): id, state, config and the
 * metric's values, caught up first. Reads four columns per run, not whole rows, and parses a run's
 * config once per runner: `memo` (the runner's) keeps each parsed config with the text it came from,
 * so a run whose config changed (a resumed run's update) is parsed again. The configs are shared
 * between calls: the search only reads them.
 */
export function searchObservations(memo: Map<string, unknown>, store: SweepStore, sweep: LoadedSweep): SweepRunObservation[] {
  const { record, config } = sweep;
  const key = `sweep-trial-configs:${store.path}:${record.key}:${record.id}:${record.createdAt}`;
  let parsed = memo.get(key) as ParsedConfigs | undefined;
  if (parsed === undefined) memo.set(key, (parsed = new Map()));
  const values = sweepMetricValues(store, sweep);
  const goal = config.metric?.goal;
  return store.sweeps.trials(record.project, record.id).map((t) => {
    let held = parsed.get(t.key);
    if (held === undefined || held.text !== t.configText) {
      held = { text: t.configText, config: parseExtended(t.configText) as Record<string, unknown> };
      parsed.set(t.key, held);
    }
    const history = values.get(t.key) ?? [];
    const metric = goal === undefined ? undefined : runMetricValue(history, goal);
    return { runId: t.id, config: held.config, state: t.state as SweepRunState, history, ...(metric !== undefined ? { metric } : {}) };
  });
}
