// Records the URL of every ES module (and every CommonJS module imported from one) that Node loads,
// one per line, into the file named by LOAD_RECORDER_FILE: `node --import ./scripts/load-recorder.mjs ...`.
// Used by scripts/import-cost.mjs and test/architecture/entry-points.test.ts to see what importing the
// package pulls in. Modules that CommonJS code require()s bypass loader hooks; read require.cache for those.
import { register } from 'node:module';
import { appendFileSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

/** Set in the hooks thread by initialize(). */
const target = { file: '' };

export function initialize(data) {
  target.file = data.file;
}

export async function load(url, context, nextLoad) {
  if (target.file !== '') appendFileSync(target.file, `${url}\n`);
  return nextLoad(url, context);
}

if (isMainThread && process.env.LOAD_RECORDER_FILE) register(import.meta.url, { data: { file: process.env.LOAD_RECORDER_FILE } });
