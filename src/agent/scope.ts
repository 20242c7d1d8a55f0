import type { CloudSweeps, SweepRunScope, SweepStore } from '../sweep-runs/index.js';

/**
 * Where an agent works: the runner's services with the agent's settings and memo (`scope`), the
 * store with its sweep tables, and W&B's sweep controller when the agent runs online.
 */
export interface AgentEnv {
  readonly scope: SweepRunScope;
  readonly store: SweepStore;
  readonly cloud?: CloudSweeps | undefined;
}
