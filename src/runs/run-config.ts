import { stringifyExtended } from '../json/extended-json.js';
import type { SkillInput } from '../contract/types.generated.js';
import type { RunRecord, Store } from '../store/index.js';

type RunConfigInput = NonNullable<SkillInput['runConfig']>;

/** The metadata a live run's runConfig may change, as W&B lets a running script change it. */
export type RunMetaChange = Pick<RunRecord, 'displayName' | 'config' | 'tags' | 'notes' | 'group' | 'jobType'>;

function same(a: unknown, b: unknown): boolean {
  return a === b || stringifyExtended(a) === stringifyExtended(b);
}

/** The parameter names a sweep chose for its runs: W&B locks them (config updates are ignored). */
function sweepParameters(store: Store, run: RunRecord): Set<string> {
  if (run.sweepId === null) return new Set();
  const sweep = store.sweeps.get(run.project, run.sweepId);
  const params = sweep?.config['parameters'];
  return new Set(typeof params === 'object' && params !== null ? Object.keys(params) : []);
}

/**
 * What `rc` changes on an existing run: the config merged key by key (W&B's run.config.update),
 * name, tags, notes, group and job type replaced when given. Undefined when nothing changes, so a
 * loop that repeats the same runConfig on every log does not rewrite the run. Keys a sweep chose
 * keep the sweep's value, with a warning (W&B ignores such updates too).
 */
export function runConfigChange(store: Store, run: RunRecord, rc: RunConfigInput, warn: (m: string) => void): RunMetaChange | undefined {
  let changed = false;
  let config = run.config;
  if (rc.config !== undefined) {
    const locked = sweepParameters(store, run);
    for (const [k, v] of Object.entries(rc.config)) {
      if (Object.prototype.hasOwnProperty.call(run.config, k) && same(run.config[k], v)) continue;
      if (locked.has(k) && Object.prototype.hasOwnProperty.call(run.config, k)) {
        warn(`runConfig.config.${k}: set by sweep ${run.sweepId ?? ''}; the change was ignored, as W&B does`);
        continue;
      }
      if (!changed) config = { ...run.config };
      // defineProperty: a key such as __proto__ is stored as data, like any other key.
      Object.defineProperty(config, k, { value: v, enumerable: true, writable: true, configurable: true });
      changed = true;
    }
  }
  const next: RunMetaChange = {
    displayName: rc.name ?? run.displayName,
    config,
    tags: rc.tags ?? run.tags,
    notes: rc.notes ?? run.notes,
    group: rc.group ?? run.group,
    jobType: rc.jobType ?? run.jobType,
  };
  if (
    !changed &&
    next.displayName === run.displayName &&
    same(next.tags, run.tags) &&
    next.notes === run.notes &&
    next.group === run.group &&
    next.jobType === run.jobType
  ) {
    return undefined;
  }
  return next;
}
