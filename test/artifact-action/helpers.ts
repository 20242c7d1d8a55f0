import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** How many objects the content store of a W&B dir holds. */
export function objectCount(dir: string): number {
  const root = join(dir, 'wandb', 'artifacts', 'objects');
  if (!existsSync(root)) return 0;
  let n = 0;
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else n += 1;
    }
  };
  walk(root);
  return n;
}

/** Row counts of the artifact tables (0 when the store does not exist yet). */
export function artifactRows(dir: string): Record<string, number> {
  const path = join(dir, 'wandb', 'skill-store.sqlite');
  const tables = ['artifact_collections', 'artifact_versions', 'artifact_aliases', 'artifact_usage', 'artifact_links'];
  if (!existsSync(path)) return Object.fromEntries(tables.map((t) => [t, 0]));
  const db = new Database(path, { readonly: true });
  try {
    const has = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((r) => r.name));
    return Object.fromEntries(tables.map((t) => [t, has.has(t) ? (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n : 0]));
  } finally {
    db.close();
  }
}

import type { ActionContext } from '../../src/actions/context.js';
import type { SkillInput } from '../../src/contract/types.generated.js';
import { createLogger } from '../../src/logger.js';
import { realSleep } from '../../src/sleep.js';
import { processLiveness } from '../../src/liveness.js';
import { parseEnv, resolveSettings } from '../../src/settings.js';
import { openStore, type Store } from '../../src/store/index.js';

/**
 * An ActionContext built by hand, for calling the artifact operations' internal API directly (the
 * progress callback; online mode before the pipeline allows it). Close the store when done.
 */
export function makeContext(
  dir: string,
  input: SkillInput,
  env: Record<string, string> = {},
  fetchImpl: typeof fetch = globalThis.fetch,
): ActionContext & { warnings: string[]; opened: () => Store | undefined } {
  const settings = resolveSettings(input, { env: parseEnv(env), cwd: dir, homedir: dir });
  let store: Store | undefined;
  const warnings: string[] = [];
  return {
    input,
    settings,
    store: () => (store ??= openStore({ path: settings.storePath })),
    openStore: () => (store ??= openStore({ path: settings.storePath })),
    sleep: realSleep,
    liveness: processLiveness,
    now: Date.now,
    random: (max) => Math.floor(Math.random() * max),
    logger: createLogger({ level: 'silent' }),
    fetch: fetchImpl,
    cache: new Map(),
    warn: (m) => warnings.push(m),
    warnings,
    opened: () => store,
  };
}
