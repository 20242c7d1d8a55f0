import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms` on the real clock; an aborted `signal` ends the wait early (rejecting with its reason), so a deadline cuts a retry wait short. */
export const realSleep = (ms: number, signal?: AbortSignal): Promise<void> => delay(ms, undefined, signal === undefined ? undefined : { signal });
