/**
 * A W&B server that refuses connections (or whose host is unknown) is remembered for a short while,
 * per base URL, in the runner's memo: later calls of the same runner answer at once, their data kept
 * in the store for `sync`, instead of each trying again.
 */
import type { OnlineScope } from './scope.js';
import type { FetchLike } from '../wandb/http.js';
import { isUnreachable, networkErrorCode } from '../wandb/network-errors.js';

/** How long a refusal is remembered (ms). */
export const REFUSAL_MEMORY_MS = 30_000;

export interface Refusal {
  /** The network error code, e.g. ECONNREFUSED. */
  code: string;
  /** When it was seen (the context's clock, ms). */
  at: number;
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

const keyOf = (baseUrl: string): string => `refused:${originOf(baseUrl)}`;

/** The refusal of the server at `baseUrl` this runner saw less than REFUSAL_MEMORY_MS ago, if any. */
export function recentRefusal(scope: Pick<OnlineScope, 'cache' | 'now'>, baseUrl: string): Refusal | undefined {
  const r = scope.cache.get(keyOf(baseUrl)) as Refusal | undefined;
  if (r === undefined) return undefined;
  const age = scope.now() - r.at;
  if (age >= 0 && age < REFUSAL_MEMORY_MS) return r;
  scope.cache.delete(keyOf(baseUrl));
  return undefined;
}

/** A fetch that remembers when the server at `baseUrl` refuses (other hosts, e.g. signed URLs, are not remembered). */
export function rememberingFetch(scope: Pick<OnlineScope, 'cache' | 'now'>, baseUrl: string, inner: FetchLike): FetchLike {
  const origin = originOf(baseUrl);
  return async (url, init) => {
    try {
      return await inner(url, init);
    } catch (err) {
      if (originOf(url) === origin && isUnreachable(err))
        scope.cache.set(keyOf(baseUrl), { code: networkErrorCode(err) ?? 'ECONNREFUSED', at: scope.now() } satisfies Refusal);
      throw err;
    }
  };
}
