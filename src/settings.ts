import { hostname as osHostname, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { SkillError } from './errors.js';
import type { SkillInput } from './contract/types.generated.js';

/** W&B's own project-name rule (no / \ # ? % :), also applied to WANDB_PROJECT. */
const PROJECT_RE = /^[^/\\#?%:\u0000-\u001f]{1,128}$/;
const RUN_ID_RE = /^(?!\.{1,2}$)(?!\s)[^:;,#?/'\\\u0000-\u001f]*[^:;,#?/'\\\s\u0000-\u001f]$/;

const optionalString = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s === undefined || s === '' ? undefined : s));

// Only this module reads the environment; everything else gets `Settings`.
const EnvSchema = z.object({
  WANDB_MODE: z
    .enum(['online', 'offline', 'disabled', 'dryrun', 'run', 'shared', ''])
    .optional()
    .transform((m) => (m === '' ? undefined : m)),
  WANDB_API_KEY: optionalString,
  WANDB_BASE_URL: optionalString.pipe(z.string().url().optional()),
  WANDB_APP_URL: optionalString.pipe(z.string().url().optional()),
  WANDB_ENTITY: optionalString,
  WANDB_PROJECT: optionalString.pipe(z.string().regex(PROJECT_RE).optional()),
  WANDB_DIR: optionalString,
  WANDB_RUN_ID: optionalString.pipe(z.string().max(128).regex(RUN_ID_RE).optional()),
  WANDB_NAME: optionalString,
  WANDB_NOTES: optionalString,
  WANDB_TAGS: optionalString,
  WANDB_RUN_GROUP: optionalString,
  WANDB_JOB_TYPE: optionalString,
  WANDB_RESUME: z
    .enum(['allow', 'must', 'never', 'auto', 'true', 'false', ''])
    .optional()
    .transform((m) => (m === '' ? undefined : m)),
  WANDB_USERNAME: optionalString,
  WANDB_SKILL_DASHBOARD_URL: optionalString.pipe(z.string().url().optional()),
  WANDB_SKILL_STORE: optionalString,
});

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
  /** W&B's root dir: the store lives in `<dir>/wandb/`. */
  dir: string;
  storePath: string;
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
  warnings: string[];
}

export interface SettingsSources {
  env: Record<string, string | undefined>;
  cwd: string;
  /** Overrides WANDB_DIR. */
  dir?: string | undefined;
  /** Overrides the store file (default `<dir>/wandb/skill-store.sqlite`). */
  storePath?: string | undefined;
  dashboardUrl?: string | undefined;
  busyTimeoutMs?: number | undefined;
  hostname?: (() => string) | undefined;
  username?: (() => string) | undefined;
}

function resumeFromEnv(v: string | undefined): ResumeMode | undefined {
  if (v === undefined || v === 'false') return undefined;
  return v === 'true' ? 'auto' : (v as ResumeMode);
}

function safeUser(username: (() => string) | undefined): string {
  try {
    return username ? username() : userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** The default store file for a W&B root dir. */
export function defaultStorePath(dir: string): string {
  return join(dir, 'wandb', 'skill-store.sqlite');
}

/** Parses environment + context into Settings; an invalid variable is INVALID_INPUT naming it. */
export function resolveSettings(input: SkillInput, sources: SettingsSources): Settings {
  const parsed = EnvSchema.safeParse(sources.env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new SkillError('INVALID_INPUT', `invalid environment: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, {
      details: { issues },
    });
  }
  const env = parsed.data;
  const warnings: string[] = [];
  const apiKey = env.WANDB_API_KEY;
  let mode: Mode;
  if (input.mode !== undefined) mode = input.mode;
  else if (env.WANDB_MODE === 'dryrun') mode = 'offline';
  else if (env.WANDB_MODE === 'run' || env.WANDB_MODE === 'shared') mode = 'online';
  else if (env.WANDB_MODE !== undefined) mode = env.WANDB_MODE;
  else if (apiKey !== undefined) mode = 'online';
  else {
    mode = 'offline';
    warnings.push('no W&B API key found (WANDB_API_KEY or ~/.netrc): running offline; data stays in the local store');
  }
  const dir = resolve(sources.cwd, sources.dir ?? env.WANDB_DIR ?? '.');
  const storePath = resolve(sources.cwd, sources.storePath ?? env.WANDB_SKILL_STORE ?? defaultStorePath(dir));
  const tags = env.WANDB_TAGS?.split(',').map((t) => t.trim()).filter((t) => t !== '');
  return {
    mode,
    apiKey,
    baseUrl: (env.WANDB_BASE_URL ?? 'https://api.wandb.ai').replace(/\/+$/, ''),
    appUrl: env.WANDB_APP_URL?.replace(/\/+$/, ''),
    entity: input.entity ?? env.WANDB_ENTITY,
    project: input.project ?? env.WANDB_PROJECT ?? 'uncategorized',
    projectGiven: input.project !== undefined || env.WANDB_PROJECT !== undefined,
    dir,
    storePath,
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
    warnings,
  };
}
