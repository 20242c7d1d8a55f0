/**
 * The process-wide runners behind `executeSkill`: a caller that follows the card calls it in a loop,
 * and opening the store on every call cost more than the call itself. Stores stay open across calls,
 * keyed by everything that decides a call's settings (the options, the environment variables the
 * settings read, the working directory), and close at process exit or on `closeStores()`.
 */
import { ENV_NAMES } from '../contract/env-names.generated.js';
import { createRunnerResources, type RunnerResources } from './resources.js';
import { runnerFrom } from './runner.js';
import type { SkillOptions, SkillRunner } from './types.js';

interface Held {
  readonly resources: RunnerResources;
  readonly runner: SkillRunner;
  /** When (performance.now()) its store files were last found to be the files it opened. */
  checkedAt: number;
}

/**
 * A `log` call re-checks the held store files only when this many ms have passed since the last
 * check (every other action checks on every call). The check is a stat, a system call: on a VM
 * with page-table isolation it cost a log call 15% of its time. A store deleted or replaced while
 * a process logs in a loop is seen by the calls that start 1 ms after it, not the very next one.
 */
export const LOG_STALE_CHECK_MS = 1;

/** How many option sets keep a runner (a process with more closes the oldest). */
const MAX_RUNNERS = 16;

/**
 * The one module-level state of the library (DESIGN: the default runner behind executeSkill). It is
 * per process and per worker thread (each has its own module instance), and a forked child starts
 * with none.
 */
// eslint-disable-next-line no-restricted-syntax -- the documented process-wide default runner
const held = new Map<string, Held>();
const exitHook = { installed: false };
/** The runner last used (the last entry of `held`): a loop's calls skip re-ordering the map. */
const newest: { held: Held | undefined } = { held: undefined };

/** The options that are plain data: a runner is shared between calls only when every option given is one of these. */
const PLAIN: ReadonlySet<string> = new Set([
  'env',
  'cwd',
  'dir',
  'storePath',
  'dashboardUrl',
  'busyTimeoutMs',
  'alertWebhooks',
  'homedir',
  'replication',
  'heartbeatMs',
  'ownsRuns',
  'retry',
]);

/**
 * A key for options made of plain data only; undefined when a caller injects a service (its own
 * clock, fetch, logger ...). Built by hand, not with Object.entries and JSON of a copy: it is made on
 * every call of a loop.
 */
function keyOf(options: SkillOptions): string | undefined {
  let key = '';
  for (const k in options) {
    const v = options[k as keyof SkillOptions];
    // `runner` is executeSkill's own option (unset when it asks for a held runner).
    if (v === undefined || k === 'env' || k === 'runner') continue;
    if (!PLAIN.has(k)) return undefined;
    key += `${k}\u0001${JSON.stringify(v)}\u0000`;
  }
  // The settings read only these variables, at a runner's first call: a later change makes another
  // runner, and the rest of an environment (`env: process.env`) does not go into the key.
  const env = options.env ?? process.env;
  for (const n of ENV_NAMES) key += `${env[n] ?? '\u0001'}\u0000`;
  if (options.homedir === undefined) key += process.env['HOME'] ?? '';
  return `${key}\u0000${options.cwd === undefined ? process.cwd() : ''}`;
}

/** What the last call's key was made of: a loop that passes the same options (or none) finds its runner without building the key again. */
interface Seen {
  keys: string[];
  values: unknown[];
  env: Record<string, string | undefined>;
  vars: Array<string | undefined>;
  home: string | undefined;
  cwd: string;
  key: string;
}
const seen: { last: Seen | undefined } = { last: undefined };

function snapshot(options: SkillOptions, key: string): Seen | undefined {
  const keys: string[] = [];
  const values: unknown[] = [];
  for (const k in options) {
    const v = options[k as keyof SkillOptions];
    // An array or object option (webhooks, retry) may change inside: such calls build the key each time.
    if (typeof v === 'object' && v !== null && k !== 'env') return undefined;
    keys.push(k);
    values.push(v);
  }
  const env = options.env ?? process.env;
  return { keys, values, env, vars: ENV_NAMES.map((n) => env[n]), home: process.env['HOME'], cwd: process.cwd(), key };
}

/** Whether `options` holds the last call's options (the same values, the same `env` object), with the same variables, home and folder. */
function sameAsLast(options: SkillOptions, s: Seen): boolean {
  let i = 0;
  for (const k in options) {
    if (k !== s.keys[i] || options[k as keyof SkillOptions] !== s.values[i]) return false;
    i++;
  }
  if (i !== s.keys.length) return false;
  const env = options.env ?? process.env;
  if (env !== s.env) return false;
  for (let j = 0; j < ENV_NAMES.length; j++) if (env[ENV_NAMES[j] as string] !== s.vars[j]) return false;
  if (options.homedir === undefined && process.env['HOME'] !== s.home) return false;
  return options.cwd !== undefined || process.cwd() === s.cwd;
}

/** Closes every store `executeSkill` holds open (they reopen on the next call). */
export function closeStores(): void {
  for (const h of held.values()) h.runner.close();
  held.clear();
  newest.held = undefined;
  seen.last = undefined;
}

/**
 * The runner `executeSkill` uses for these options: a held one, or undefined when the options carry
 * functions (the caller's own services: such a call gets a runner of its own, closed after it).
 * `action`: the call's (see LOG_STALE_CHECK_MS).
 */
export function defaultRunner(options: SkillOptions, action?: unknown): SkillRunner | undefined {
  const last = seen.last;
  let key: string | undefined;
  if (last !== undefined && sameAsLast(options, last)) key = last.key;
  else {
    key = keyOf(options);
    if (key === undefined) return undefined;
    seen.last = snapshot(options, key);
  }
  let h = held.get(key);
  // A store file deleted or replaced since it was opened: start afresh, as a new open would.
  if (h !== undefined) {
    const now = performance.now();
    if (action !== 'log' || now - h.checkedAt >= LOG_STALE_CHECK_MS) {
      if (h.resources.stores.stale()) {
        h.runner.close();
        held.delete(key);
        h = undefined;
      } else h.checkedAt = now;
    }
  }
  if (h !== undefined) {
    // Most recently used last, so the runner closed for room is the one unused longest.
    if (h !== newest.held) {
      held.delete(key);
      held.set(key, h);
    }
  } else {
    if (held.size >= MAX_RUNNERS) {
      const [oldest] = held.keys();
      if (oldest !== undefined) {
        held.get(oldest)?.runner.close();
        held.delete(oldest);
      }
    }
    const { runner: _unset, ...rest } = options as SkillOptions & { runner?: unknown };
    const resources = createRunnerResources({ replication: 'sync', ...rest });
    h = { resources, runner: runnerFrom(resources), checkedAt: performance.now() };
    held.set(key, h);
    if (!exitHook.installed) {
      exitHook.installed = true;
      process.once('exit', closeStores);
    }
  }
  newest.held = h;
  return h.runner;
}
