import { SkillError } from '../errors.js';
import { hyperbandBands, parseSweepConfig, type SweepConfig } from '../sweeps/index.js';
import type { Settings } from '../settings.js';
import type { SweepRecord, SweepState } from '../store/sweeps.js';
import type { SweepStore } from './tables.js';

/** A stored sweep with its parsed config (and hyperband bands, when it early-terminates). */
export interface LoadedSweep {
  record: SweepRecord;
  config: SweepConfig;
  bands: number[];
}

/**
 * Finds a sweep by id: in the named project when one was given, else in any project as long as the
 * id names one sweep (as runs are found).
 */
export function findSweep(settings: Pick<Settings, 'project' | 'projectGiven'>, store: SweepStore, id: string): SweepRecord {
  const inProject = store.sweeps.get(settings.project, id);
  if (inProject !== undefined) return inProject;
  const matches = settings.projectGiven ? [] : store.sweeps.findById(id);
  if (matches.length > 1) {
    throw new SkillError('CONFLICT', `sweepId ${id} exists in several projects (${matches.map((m) => m.project).join(', ')}); name the project`, {
      details: { issues: [{ path: 'project', message: 'required: the sweep id is ambiguous' }] },
    });
  }
  const found = matches[0];
  if (found === undefined) {
    throw new SkillError('NOT_FOUND', `sweep ${id} does not exist in ${settings.projectGiven ? `project ${settings.project}` : 'this store'}`, {
      details: { issues: [{ path: 'sweepId', message: 'no such sweep' }] },
    });
  }
  return found;
}

/**
 * The parsed config of a stored sweep, memoised in `memo` (the runner's): a sweep's config never
 * changes after creation, and the log hook needs it on every log of a sweep run.
 */
export function loadSweep(memo: Map<string, unknown>, store: SweepStore, record: SweepRecord): LoadedSweep {
  const key = `sweep-config:${store.path}:${record.key}:${record.id}:${record.createdAt}`;
  let cached = memo.get(key) as { config: SweepConfig; bands: number[] } | undefined;
  if (cached === undefined) {
    const config = parseSweepConfig(record.config);
    cached = { config, bands: config.early_terminate ? hyperbandBands(config.early_terminate) : [] };
    memo.set(key, cached);
  }
  return { record, ...cached };
}

/** Why a sweep in this state hands out no run (its own reason when it finished by itself). */
export function notRunningReason(sweep: { state: SweepState; doneReason: string | null }): string {
  if (sweep.doneReason !== null) return sweep.doneReason;
  return sweep.state === 'PAUSED' ? 'paused' : sweep.state === 'CANCELED' ? 'canceled' : 'stopped';
}
