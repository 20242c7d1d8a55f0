import { hostname as osHostname, userInfo } from 'node:os';
import { resolve } from 'node:path';
import { SkillError } from './errors.js';
import { toIssues } from './contract/validate.js';
import { validateEnv } from './contract/validators.generated.js';
import type { SkillInput } from './contract/types.generated.js';
import { defaultStorePath, locateStore, safeHome, type StoreLocation } from './store-location.js';

export { defaultStorePath } from './store-location.js';

// Only this module reads the environment; everything else gets `Settings`. The variables are
// checked by schemas/env.schema.json, precompiled like the contract (zod cost a one-call process
// about 9 ms of start-up, a third of Node's own).

/** The WANDB_* variables (and NETRC) that the skill reads, trimmed; empty means unset. */
export interface SkillEnv {
  WANDB_MODE?: 'online' | 'offline' | 'disabled' | 'dryrun' | 'run' | 'shared';
  WANDB_API_KEY?: string;
  WANDB_BASE_URL?: string;
  WANDB_APP_URL?: string;
  WANDB_ENTITY?: string;
  WANDB_PROJECT?: string;
  WANDB_DIR?: string;
  WANDB_RUN_ID?: string;
  WANDB_NAME?: string;
  WANDB_NOTES?: string;
  WANDB_TAGS?: string;
  WANDB_RUN_GROUP?: string;
  WANDB_JOB_TYPE?: string;
  WANDB_RESUME?: 'allow' | 'must' | 'never' | 'auto' | 'true' | 'false';
  WANDB_USERNAME?: string;
  WANDB_USER_EMAIL?: string;
  WANDB_SKILL_DASHBOARD_URL?: string;
  WANDB_SKILL_STORE?: string;
  WANDB_SKILL_ALERT_WEBHOOKS?: string;
  WANDB_SWEEP_ID?: string;
  WANDB_SWEEP_PARAM_PATH?: string;
  WANDB_HTTP_TIMEOUT?: string;
  WANDB_SKILL_SYNC_TIMEOUT?: string;
  NETRC?: string;
}

type EnvValidator = ((data: unknown) => boolean) & { errors?: Parameters<typeof toIssues>[0] | null };

/** Picks, trims and checks the variables the skill reads; an invalid one is INVALID_INPUT naming it. */
export function parseEnv(env: Record<string, string | undefined>): SkillEnv {
  const picked: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if ((k.startsWith('WANDB_') || k === 'NETRC') && v !== undefined) {
      const t = v.trim();
      if (t !== '') picked[k] = t;
    }
  }
  const v = validateEnv as EnvValidator;
  if (!v(picked)) {
    const issues = toIssues(v.errors ?? []);
    throw new SkillError('INVALID_INPUT', `invalid environment: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`, {
      details: { issues },
    });
  }
  return picked as SkillEnv;
}

export type Mode = 'online' | 'offline' | 'disabled';
export type ResumeMode = 'allow' | 'must' | 'never' | 'auto';

/** Everything a handler needs to know about where and how to act, parsed once per call. */
export interface Settings {
  mode: Mode;
  apiKey: string | undefined;
  baseUrl: string;
  appUrl: string | undefined;
  entity: string | undefined;
  project: string;
  /** The project came from the input or WANDB_PROJECT (not the "uncategorized" fallback). */
  projectGiven: boolean;
  /** The caller's working directory (relative paths in inputs resolve from it). */
  cwd: string;
  /** W&B's root dir: the store lives in `<dir>/wandb/`. */
  dir: string;
  storePath: string;
  /**
   * How the store was chosen: `explicit` (WANDB_SKILL_STORE, WANDB_DIR or the options), `found` (an
   * existing store in the folder or a parent) or `new` (none yet: the first call that opens it says so).
   */
  storeOrigin: 'explicit' | StoreLocation['origin'];
  /** For a `new` store: why it goes where it goes. */
  storeReason?: string | undefined;
  dashboardUrl: string;
  username: string;
  host: string;
  /** W&B's WANDB_* run defaults. */
  runDefaults: {
    id: string | undefined;
    name: string | undefined;
    notes: string | undefined;
    tags: string[] | undefined;
    group: string | undefined;
    jobType: string | undefined;
    resume: ResumeMode | undefined;
  };
  busyTimeoutMs: number;
  /** Per-attempt timeout of a W&B request (WANDB_HTTP_TIMEOUT, default 30 s). */
  httpTimeoutMs: number;
  /** How long a call waits for replication before answering with the data safe locally (default 10 s). */
  syncTimeoutMs: number;
  /** Webhook URLs every alert goes to (TypeScript option `alertWebhooks`, else WANDB_SKILL_ALERT_WEBHOOKS). */
  alertWebhooks: string[];
  /** The parsed environment, for modules that need more of it (sweeps, alerts). */
  env: SkillEnv;
  warnings: string[];
}

export interface SettingsSources {
  /** The environment, already parsed by `parseEnv` (a runner parses it once). */
  env: SkillEnv;
  cwd: string;
  /** Overrides WANDB_DIR. */
  dir?: string | undefined;
  /** Overrides the store file (default `<dir>/wandb/skill-store.sqlite`). */
  storePath?: string | undefined;
  dashboardUrl?: string | undefined;
  busyTimeoutMs?: number | undefined;
  syncTimeoutMs?: number | undefined;
  alertWebhooks?: string[] | undefined;
  /** An API key found outside the environment (e.g. ~/.netrc). */
  apiKey?: string | undefined;
  hostname?: (() => string) | undefined;
  username?: (() => string) | undefined;
  /** Where the walk for an existing store stops (default the OS's home folder). */
  homedir?: string | undefined;
  /** Finds the store when nothing names it (a runner caches it per working directory). */
  locateStore?: ((cwd: string) => StoreLocation) | undefined;
}

function resumeFromEnv(v: SkillEnv['WANDB_RESUME']): ResumeMode | undefined {
  if (v === undefined || v === 'false') return undefined;
  return v === 'true' ? 'auto' : v;
}

function safeUser(username: (() => string) | undefined): string {
  try {
    return username ? username() : userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** W&B's mode: the input's, else WANDB_MODE (dryrun/run/shared as W&B reads them), else online when a key is found. */
function modeOf(input: Partial<SkillInput>, env: SkillEnv, apiKey: string | undefined): Mode {
  if (input.mode !== undefined) return input.mode;
  if (env.WANDB_MODE === 'dryrun') return 'offline';
  if (env.WANDB_MODE === 'run' || env.WANDB_MODE === 'shared') return 'online';
  if (env.WANDB_MODE !== undefined) return env.WANDB_MODE;
  if (apiKey !== undefined) return 'online';
  // offline by default: the pipeline warns once per store (a warning on every call would mean nothing)
  return 'offline';
}

/** Where the W&B dir and the store are: as named (options, WANDB_DIR, WANDB_SKILL_STORE), else found by the walk. */
function storeOf(sources: SettingsSources): Pick<Settings, 'dir' | 'storePath' | 'storeOrigin' | 'storeReason'> {
  const explicitDir = sources.dir ?? sources.env.WANDB_DIR;
  const explicitStore = sources.storePath ?? sources.env.WANDB_SKILL_STORE;
  if (explicitDir !== undefined || explicitStore !== undefined) {
    const dir = resolve(sources.cwd, explicitDir ?? '.');
    return { dir, storePath: resolve(sources.cwd, explicitStore ?? defaultStorePath(dir)), storeOrigin: 'explicit', storeReason: undefined };
  }
  const found = sources.locateStore ? sources.locateStore(resolve(sources.cwd)) : locateStore(sources.cwd, sources.homedir ?? safeHome());
  return { dir: found.dir, storePath: found.storePath, storeOrigin: found.origin, storeReason: found.reason };
}

/** Combines the parsed environment, the sources and the call's input into Settings. */
export function resolveSettings(input: Partial<SkillInput>, sources: SettingsSources): Settings {
  const env = sources.env;
  const warnings: string[] = [];
  const apiKey = env.WANDB_API_KEY ?? sources.apiKey;
  const mode = modeOf(input, env, apiKey);
  const { dir, storePath, storeOrigin, storeReason } = storeOf(sources);
  const tags = env.WANDB_TAGS?.split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  return {
    mode,
    apiKey,
    baseUrl: (env.WANDB_BASE_URL ?? 'https://api.wandb.ai').replace(/\/+$/, ''),
    appUrl: env.WANDB_APP_URL?.replace(/\/+$/, ''),
    entity: input.entity ?? env.WANDB_ENTITY,
    project: input.project ?? env.WANDB_PROJECT ?? 'uncategorized',
    projectGiven: input.project !== undefined || env.WANDB_PROJECT !== undefined,
    cwd: resolve(sources.cwd),
    dir,
    storePath,
    storeOrigin,
    storeReason,
    dashboardUrl: (sources.dashboardUrl ?? env.WANDB_SKILL_DASHBOARD_URL ?? 'http://127.0.0.1:8765').replace(/\/+$/, ''),
    username: env.WANDB_USERNAME ?? safeUser(sources.username),
    host: sources.hostname ? sources.hostname() : osHostname(),
    runDefaults: {
      id: env.WANDB_RUN_ID,
      name: env.WANDB_NAME,
      notes: env.WANDB_NOTES,
      tags,
      group: env.WANDB_RUN_GROUP,
      jobType: env.WANDB_JOB_TYPE,
      resume: resumeFromEnv(env.WANDB_RESUME),
    },
    busyTimeoutMs: sources.busyTimeoutMs ?? 15000,
    httpTimeoutMs: env.WANDB_HTTP_TIMEOUT !== undefined ? Number(env.WANDB_HTTP_TIMEOUT) * 1000 : 30000,
    syncTimeoutMs: sources.syncTimeoutMs ?? (env.WANDB_SKILL_SYNC_TIMEOUT !== undefined ? Number(env.WANDB_SKILL_SYNC_TIMEOUT) * 1000 : 10000),
    alertWebhooks:
      sources.alertWebhooks ??
      (env.WANDB_SKILL_ALERT_WEBHOOKS ?? '')
        .split(',')
        .map((u) => u.trim())
        .filter((u) => u !== ''),
    env,
    warnings,
  };
}
