import type { Services } from '../services.js';
import type { Settings } from '../settings.js';
import type { SweepRecord } from '../store/sweeps.js';

/**
 * What the sweep run state machine needs of its caller: the runner's services, the settings of the
 * call (project, mode, defaults of new runs), the runner-scoped memo, and where warnings go. An
 * action's context is one; an agent builds its own.
 */
export interface SweepRunScope extends Services {
  readonly settings: Settings;
  /** Runner-scoped memo (a sweep's parsed config, a cloud sweep's agent id). */
  readonly cache: Map<string, unknown>;
  warn(message: string): void;
  /** Runs created here are owned by this process (an agent): they end `crashed` once it is gone. */
  readonly ownsRuns?: boolean | undefined;
}

/** The scope seen from the sweep's project and entity, so runs it creates land beside it. */
export function sweepScope<S extends { readonly settings: Settings }>(scope: S, sweep: SweepRecord): S {
  return {
    ...scope,
    settings: { ...scope.settings, project: sweep.project, projectGiven: true, entity: sweep.entity ?? scope.settings.entity },
  };
}
