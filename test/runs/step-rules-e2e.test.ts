// The step bound (issue 11 item 14), `__proto__` metric keys (item 15) and nested merges (item 20)
// through executeSkill on a real store: history rows are read back from the SQLite file.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { executeSkill } from '../../src/index.js';
import { startDashboard } from '../../src/dashboard/index.js';
import { parseExtended } from '../../src/json/extended-json.js';
import { runFilesDir } from '../../src/runs/paths.js';
import type { SkillOutput } from '../../src/contract/types.generated.js';
import { tempDir, isolated, valid } from '../helpers/tmp.js';
import { runCli } from '../helpers/cli.js';

const MAX = Number.MAX_SAFE_INTEGER;
/** A 2x2 PNG. */
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==';

function setup(t: TestContext): { dir: string; call: (ctx: Record<string, unknown>) => Promise<SkillOutput> } {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  let clock = 1_700_000_000_000;
  const o = { ...isolated(dir), now: () => (clock += 1000) };
  // Contexts go through JSON text, as the CLI reads them: a `__proto__` key is an own key.
  return { dir, call: async (ctx) => valid(await executeSkill(JSON.parse(JSON.stringify(ctx)) as never, o)) };
}

function rowsOf(dir: string, runId: string): Array<{ step: number; row: Record<string, unknown> }> {
  const db = new Database(join(dir, 'wandb', 'skill-store.sqlite'), { readonly: true });
  try {
    const all = db.prepare('SELECT h.step, h.row FROM history h JOIN runs r ON r.key = h.run_key WHERE r.id = ? ORDER BY h.seq').all(runId) as Array<{
      step: number;
      row: string;
    }>;
    return all.map((r) => ({ step: r.step, row: parseExtended(r.row) as Record<string, unknown> }));
  } finally {
    db.close();
  }
}

/** The user's keys of a row (without _step, _runtime, _timestamp). */
function userKeys(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (!k.startsWith('_')) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

test('a run that has logged step 2^53 - 1 refuses later logs with CONFLICT; no _step is stored twice', async (t) => {
  const { dir, call } = setup(t);
  const runId = (await call({ action: 'init', project: 'p' })).runId as string;
  const log = (logData: Record<string, unknown>) => call({ action: 'log', project: 'p', runId, logData });
  assert.equal((await log({ metrics: { a: 1 }, step: MAX })).status, 'success');
  const second = await log({ metrics: { a: 2 } });
  assert.deepEqual([second.status, second.step, second.committed], ['success', MAX, true]);
  const third = await log({ metrics: { a: 3 } });
  assert.equal(third.status, 'error');
  assert.equal(third.error?.code, 'CONFLICT');
  assert.ok(
    third.error?.details?.issues?.some((i) => i.path === 'logData.step'),
    JSON.stringify(third.error),
  );
  assert.equal((await log({ metrics: { a: 4 }, commit: false })).error?.code, 'CONFLICT');
  assert.equal((await log({ metrics: { a: 5 }, step: MAX + 1 })).error?.code, 'INVALID_INPUT');
  // Media too: refused as the run's state, before any file is written (not INTERNAL).
  const image = { _type: 'image', data: PNG_BASE64 };
  const media = await log({ metrics: { h: { _type: 'histogram', sequence: [1, 2, 3] }, img: image } });
  assert.equal(media.error?.code, 'CONFLICT', JSON.stringify(media.error));
  assert.equal(existsSync(join(runFilesDir(dir, 'p', runId), 'media')), false);
  const rows = rowsOf(dir, runId);
  assert.deepEqual(
    rows.map((r) => [r.step, r.row['_step'], r.row['a']]),
    [[MAX, MAX, 2]],
  );
  const fin = await call({ action: 'finish', project: 'p', runId });
  assert.equal(fin.status, 'success', JSON.stringify(fin.error));
  assert.equal(fin.summary?.['_step'], MAX);
  assert.equal(rowsOf(dir, runId).length, 1);
});

test('nested metrics merge key by key in the pending row and the summary (W&B: x.y = 3, x.z = 2)', async (t) => {
  const { dir, call } = setup(t);
  const runId = (await call({ action: 'init', project: 'p' })).runId as string;
  const log = (logData: Record<string, unknown>) => call({ action: 'log', project: 'p', runId, logData });
  await log({ metrics: { x: { y: 1 } } });
  await log({ metrics: { x: { z: 2 } }, commit: false });
  assert.equal((await log({ metrics: { x: { y: 3 } } })).step, 1);
  // Equal given steps merge too; a higher step commits what was there.
  await log({ metrics: { deep: { a: { b: 1 } } }, step: 4 });
  await log({ metrics: { deep: { a: { c: 2 }, d: 3 } }, step: 4 });
  await log({ metrics: { deep: { e: 4 } }, step: 6 });
  const fin = await call({ action: 'finish', project: 'p', runId });
  const rows = rowsOf(dir, runId);
  assert.deepEqual(
    rows.map((r) => [r.step, userKeys(r.row)]),
    [
      [0, { x: { y: 1 } }],
      [1, { x: { z: 2, y: 3 } }],
      [4, { deep: { a: { b: 1, c: 2 }, d: 3 } }],
      [6, { deep: { e: 4 } }],
    ],
  );
  assert.deepEqual(fin.summary?.['x'], { y: 3, z: 2 });
  assert.deepEqual(fin.summary?.['deep'], { a: { b: 1, c: 2 }, d: 3, e: 4 });
});

test('a media descriptor in the pending row is replaced whole by the next value of its key', async (t) => {
  const { dir, call } = setup(t);
  const runId = (await call({ action: 'init', project: 'p' })).runId as string;
  const log = (logData: Record<string, unknown>) => call({ action: 'log', project: 'p', runId, logData });
  assert.equal((await log({ metrics: { h: { _type: 'histogram', sequence: [1, 2, 3] } }, commit: false })).status, 'success');
  await log({ metrics: { h: { k: 1 } } });
  const [row] = rowsOf(dir, runId);
  assert.deepEqual(row?.row['h'], { k: 1 });
});

test('metrics named __proto__, constructor and prototype are stored, read back and summarised as data', async (t) => {
  const { dir, call } = setup(t);
  const runId = (await call({ action: 'init', project: 'p' })).runId as string;
  const log = (text: string, extra: Record<string, unknown> = {}) =>
    call({ action: 'log', project: 'p', runId, logData: { metrics: JSON.parse(text) as unknown, ...extra } });
  assert.equal((await log('{"loss": 1}', { commit: false })).status, 'success');
  assert.equal((await log('{"__proto__": {"polluted": 1}, "n": {"__proto__": {"polluted": 2}}}', { commit: false })).status, 'success');
  assert.equal((await log('{"n": {"k": 3}, "constructor": {"prototype": {"polluted": 4}}, "prototype": 5}')).status, 'success');
  const fin = await call({ action: 'finish', project: 'p', runId });
  assert.equal(fin.status, 'success', JSON.stringify(fin.error));
  const [first] = rowsOf(dir, runId);
  const row = first?.row as Record<string, unknown>;
  assert.deepEqual(Object.getOwnPropertyDescriptor(row, '__proto__')?.value, { polluted: 1 });
  assert.deepEqual(Object.getOwnPropertyDescriptor(row['n'], '__proto__')?.value, { polluted: 2 });
  assert.equal((row['n'] as Record<string, unknown>)['k'], 3);
  assert.deepEqual(row['constructor'], { prototype: { polluted: 4 } });
  assert.equal(row['prototype'], 5);
  const summary = fin.summary as Record<string, unknown>;
  assert.deepEqual(Object.getOwnPropertyDescriptor(summary, '__proto__')?.value, { polluted: 1 });
  assert.deepEqual(summary['constructor'], { prototype: { polluted: 4 } });
  // The readers: a report and the dashboard's history, summary and chart APIs.
  const report = await call({ action: 'report', project: 'p', reportConfig: { format: 'json', outputPath: 'r.json' } });
  assert.equal(report.status, 'success', JSON.stringify(report.error));
  const dash = await startDashboard({ storePath: join(dir, 'wandb', 'skill-store.sqlite'), port: 0 });
  try {
    for (const sub of ['', '/history', '/charts', '/media']) {
      const res = await fetch(`${dash.url}/api/p/local/p/runs/${runId}${sub}`);
      assert.equal(res.status, 200, sub);
      const body = await res.text();
      if (sub === '/history') assert.match(body, /"__proto__":\{"polluted":1\}/);
    }
  } finally {
    await dash.close();
  }
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  assert.equal((Object.prototype as Record<string, unknown>)['polluted'], undefined);
});

test('through the CLI, across processes: __proto__ stays data and nested groups merge in the pending row', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const cli = async (text: string): Promise<SkillOutput> => {
    const r = await runCli([text], { cwd: dir, env: { WANDB_DIR: dir, WANDB_MODE: 'offline' } });
    return valid(JSON.parse(r.stdout) as SkillOutput);
  };
  const runId = (await cli('{"action":"init","project":"p"}')).runId as string;
  const log = (metrics: string, extra = '') => cli(`{"action":"log","project":"p","runId":"${runId}","logData":{"metrics":${metrics}${extra}}}`);
  assert.equal((await log('{"__proto__":{"p":1},"x":{"y":1}}', ',"commit":false')).status, 'success');
  assert.equal((await log('{"__proto__":{"q":2},"x":{"z":2}}')).status, 'success');
  const [first] = rowsOf(dir, runId);
  assert.deepEqual(Object.getOwnPropertyDescriptor(first?.row, '__proto__')?.value, { p: 1, q: 2 });
  assert.deepEqual(first?.row['x'], { y: 1, z: 2 });
});
