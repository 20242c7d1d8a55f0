/**
 * The log benchmark's child: one way of logging 10 floats, `n` calls after 200 unmeasured ones, in
 * a process of its own (as a user's loop runs), so no other way's code, stores or garbage share it.
 * Prints one JSON line: { rate, lat } (calls per second; each call's ms, sorted).
 * argv: <way: raw | raw-rowid | runner | front | bare> <working dir> <n>
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { closeStores, createSkillRunner, executeSkill } from '../src/skill.js';
import { metrics10, rawHistory } from './core.js';

const [way, dir, count] = process.argv.slice(2) as [string, string, string];
const n = Number(count);

/** A raw better-sqlite3 one-row transaction of the same JSON row, with the store's pragmas (core.ts `rawHistory`). */
function raw(layout: 'pk' | 'rowid'): (i: number) => void {
  mkdirSync(dir, { recursive: true });
  const table = rawHistory(join(dir, `raw-${layout}.sqlite`), layout);
  return (i) => table.append(1, i, i, JSON.stringify({ ...metrics10(i), _step: i, _runtime: i / 1000, _timestamp: Date.now() / 1000 }));
}

/** Logs through executeSkill or a runner: each call awaited, its status checked. */
async function skill(): Promise<(i: number) => Promise<void>> {
  mkdirSync(dir, { recursive: true });
  let call: (context: Record<string, unknown>) => Promise<Record<string, unknown>>;
  if (way === 'runner') {
    const runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: dir });
    call = (c) => runner.execute(c);
  } else if (way === 'front') {
    const opts = { env: { WANDB_MODE: 'offline' }, cwd: dir };
    call = (c) => executeSkill(c, opts);
  } else {
    // The README's first example: no options, so each call reads process.env and process.cwd().
    process.chdir(dir);
    process.env['WANDB_MODE'] = 'offline';
    call = (c) => executeSkill(c);
  }
  const { runId } = await call({ action: 'init', project: 'bench' });
  return async (i) => {
    const out = await call({ action: 'log', project: 'bench', runId, logData: { metrics: metrics10(i) } });
    if (out['status'] !== 'success') throw new Error(JSON.stringify(out));
  };
}

const one = way === 'raw' ? raw('pk') : way === 'raw-rowid' ? raw('rowid') : await skill();
for (let i = 0; i < 200; i++) await one(i);
const lat: number[] = [];
const t0 = performance.now();
for (let i = 200; i < n + 200; i++) {
  const t = performance.now();
  await one(i);
  lat.push(performance.now() - t);
}
const rate = n / ((performance.now() - t0) / 1000);
closeStores();
lat.sort((a, b) => a - b);
process.stdout.write(`${JSON.stringify({ rate, lat })}\n`);
