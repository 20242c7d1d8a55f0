import type { SkillInput } from './contract/types.generated.js';
import type { Settings } from './settings.js';
import type { Store } from './store/index.js';

/** Said once per store when no mode was chosen and no API key was found. */
export const OFFLINE_NOTICE =
  'no W&B API key found (WANDB_API_KEY or ~/.netrc): running offline; data stays in the local store. ' +
  'Choose the mode with the `mode` input or WANDB_MODE (online needs an API key); this is said once per store';

/** Success outputs: each warning at most 1,000 characters, all of them at most 32 KiB. */
export const SUCCESS_WARNINGS = [1000, 32 * 1024] as const;
/** Error outputs stay under 16 KiB: their warnings get what the error leaves. */
export const ERROR_WARNINGS = [300, 3 * 1024] as const;

/** The mode fell to offline because nothing chose it (no `mode`, no WANDB_MODE, no API key). */
function offlineByDefault(input: SkillInput, settings: Settings): boolean {
  return settings.mode === 'offline' && input.mode === undefined && settings.env.WANDB_MODE === undefined && settings.apiKey === undefined;
}

/**
 * The offline notice, the first time a store is used with the mode unchosen (recorded in the store,
 * so it is said once, not on every call); `cache` spares later calls of a runner the lookup.
 */
export function offlineNotice(
  input: SkillInput,
  settings: Settings,
  store: Store | undefined,
  cache: Map<string, unknown>,
  now: () => number,
): string | undefined {
  if (store === undefined || !offlineByDefault(input, settings)) return undefined;
  const key = `notice:offline:${settings.storePath}`;
  if (cache.has(key)) return undefined;
  try {
    const first = store.notices.firstTime('offline-default', now() / 1000);
    cache.set(key, true);
    return first ? OFFLINE_NOTICE : undefined;
  } catch {
    return undefined; // a notice never fails a call that succeeded (a busy store: it is said next time)
  }
}
