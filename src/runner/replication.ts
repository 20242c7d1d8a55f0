/**
 * The runner's replicator slot: the replicator (and the W&B client under it) loads on the first
 * online call only, so an offline runner never loads the network code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';
import type { Replicator } from '../online/replicator.js';
import type { SkillOptions } from './types.js';

export interface ReplicatorSlot {
  /** The replicator, made on first use. */
  get(): Promise<Replicator>;
  /** Sends what is queued; nothing when no call was ever online. */
  flush(): Promise<void>;
  /** Stops the background sender; unsent data stays in the store (`sync` sends it). */
  stop(): void;
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(import.meta.url), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export function createReplicatorSlot(options: Pick<SkillOptions, 'replication' | 'heartbeatMs'>): ReplicatorSlot {
  let replicator: Replicator | undefined;
  return {
    async get() {
      if (replicator === undefined) {
        const { createReplicator } = await import('../online/replicator.js');
        replicator = createReplicator({
          mode: options.replication ?? 'background',
          owner: `${process.pid}-${Math.random().toString(36).slice(2, 10)}`,
          version: packageVersion(),
          ...(options.heartbeatMs !== undefined ? { heartbeatMs: options.heartbeatMs } : {}),
        });
      }
      return replicator;
    },
    async flush() {
      if (replicator !== undefined) await replicator.flush();
    },
    stop() {
      replicator?.stop();
    },
  };
}
