import type { Store } from '../store/index.js';
import type { SweepRecord } from '../store/sweeps.js';
import type { Claim, ClaimedRunState } from './claim.js';

/**
 * What the state machine asks of W&B's sweep controller for a cloud sweep (online mode). The
 * caller that can talk to the server supplies it (the sweep action, an online agent); the state
 * machine itself knows no network.
 */
export interface CloudSweeps {
  /** Records locally a sweep created elsewhere (another machine), from the server's copy. */
  importSweep(store: Store, sweepId: string): Promise<SweepRecord>;
  /** The next run the server's controller hands out (heartbeats until it does, or says why not). */
  claim(store: Store, sweep: SweepRecord, runState: ClaimedRunState): Promise<Claim>;
  /** One heartbeat while the runs `live` run: the server's `stop` commands become stop marks; `exit` ends the agent. */
  heartbeat(store: Store, sweep: SweepRecord, live: readonly string[], runState: ClaimedRunState): Promise<{ exit: boolean }>;
}
