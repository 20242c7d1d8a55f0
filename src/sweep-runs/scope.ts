import type { CallScope } from '../services.js';
import type { Settings } from '../settings.js';
import type { SweepRecord } from '../store/sweeps.js';

/** What the sweep run state machine needs of its caller: a call's scope (an action's context is one). */
export type SweepRunScope = CallScope;

/** The scope seen from the sweep's project and entity, so runs it creates land beside it. */
export function sweepScope<S extends { readonly settings: Settings }>(scope: S, sweep: SweepRecord): S {
  return {
    ...scope,
    settings: { ...scope.settings, project: sweep.project, projectGiven: true, entity: sweep.entity ?? scope.settings.entity },
  };
}
