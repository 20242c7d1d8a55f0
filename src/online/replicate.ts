import { SkillError } from '../errors.js';
import type { ActionContext } from '../actions/context.js';
import type { RunRecord, Store } from '../store/index.js';
import type { Connection } from './connection.js';

/**
 * Makes sure the run exists on the W&B server (upsertBucket) and pushes what the server has not yet
 * seen; returns the run's storage id. (Being built: the run replicator.)
 */
export async function ensureRunOnServer(_ctx: ActionContext, _store: Store, _run: RunRecord, _conn: Connection): Promise<{ storageId: string }> {
  throw new SkillError('UNSUPPORTED', 'run replication is not available yet');
}
