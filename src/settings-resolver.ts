/**
 * Settings as a runner resolves them: the environment parsed once, the API key looked up in
 * `.netrc` once per base URL, and the settings of each (project, entity, mode) kept, so a runner in a
 * loop does not re-read the environment, the OS or `.netrc` on every log().
 */
import { homedir as osHomedir, hostname, userInfo } from 'node:os';
import type { SkillInput } from './contract/types.generated.js';
import { parseEnv, resolveSettings, type Settings, type SkillEnv } from './settings.js';
import type { StoreLocation } from './store-location.js';
import { resolveApiKey } from './wandb/credentials.js';

export interface SettingsResolverOptions {
  /** Environment variables (default process.env); only this module and settings.ts read them. */
  env?: Record<string, string | undefined> | undefined;
  /** Working directory (default process.cwd()). */
  cwd?: string | undefined;
  dir?: string | undefined;
  storePath?: string | undefined;
  dashboardUrl?: string | undefined;
  busyTimeoutMs?: number | undefined;
  alertWebhooks?: string[] | undefined;
  /** Home folder for ~/.netrc (default the OS's). */
  homedir?: string | undefined;
  /** Finds the store when nothing names it (a runner caches it per working directory). */
  locateStore?: ((cwd: string) => StoreLocation) | undefined;
}

/** The three input fields settings depend on. */
export interface SettingsInput {
  project?: SkillInput['project'] | undefined;
  entity?: SkillInput['entity'] | undefined;
  mode?: SkillInput['mode'] | undefined;
}

/** The settings of one call: a fresh `warnings` list each time (warnings are per call). */
export type SettingsFor = (input: SettingsInput) => Settings;

/** The API key in `.netrc` for the base URL, when WANDB_API_KEY is unset; looked up once per base URL. */
export function createNetrcLookup(options: Pick<SettingsResolverOptions, 'env' | 'homedir'>): (env: SkillEnv) => string | undefined {
  const found = new Map<string, string | undefined>();
  return (env) => {
    if (env.WANDB_API_KEY !== undefined) return undefined;
    const baseUrl = env.WANDB_BASE_URL ?? 'https://api.wandb.ai';
    if (!found.has(baseUrl)) {
      let key: string | undefined;
      try {
        key = resolveApiKey({ baseUrl, env: options.env ?? process.env, homedir: options.homedir ?? osHomedir() })?.apiKey;
      } catch {
        key = undefined; // an unreadable .netrc is the same as none
      }
      found.set(baseUrl, key);
    }
    return found.get(baseUrl);
  };
}

function safeUsername(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** A runner's settings: resolved once per (project, entity, mode), the three input fields they depend on. */
export function createSettingsResolver(options: SettingsResolverOptions): SettingsFor {
  const netrcKey = createNetrcLookup(options);
  const cache = new Map<string, Settings>();
  let env: SkillEnv | undefined;
  // Asked of the OS once per runner, not per call (os.userInfo() costs more than a log's insert).
  let who: { host: string; username: string } | undefined;
  const identity = () => (who ??= { host: hostname(), username: safeUsername() });
  const resolveUncached = (input: SettingsInput): Settings => {
    env ??= parseEnv(options.env ?? process.env);
    const { project, entity, mode } = input;
    const fields: Partial<SkillInput> = {
      ...(project !== undefined ? { project } : {}),
      ...(entity !== undefined ? { entity } : {}),
      ...(mode !== undefined ? { mode } : {}),
    };
    return resolveSettings(fields, {
      env,
      cwd: options.cwd ?? process.cwd(),
      dir: options.dir,
      storePath: options.storePath,
      dashboardUrl: options.dashboardUrl,
      busyTimeoutMs: options.busyTimeoutMs,
      alertWebhooks: options.alertWebhooks,
      apiKey: netrcKey(env),
      locateStore: options.locateStore,
      hostname: () => identity().host,
      username: () => identity().username,
    });
  };
  return (input) => {
    const key = `${input.project ?? ''}\u0000${input.entity ?? ''}\u0000${input.mode ?? ''}`;
    let settings = cache.get(key);
    if (settings === undefined) {
      settings = resolveUncached(input);
      if (cache.size > 64) cache.clear();
      cache.set(key, settings);
    }
    return { ...settings, warnings: [...settings.warnings] };
  };
}
