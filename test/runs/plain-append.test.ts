// A plain log (nothing pending, no summary fold due, a fresh heartbeat) appends its history row
// without rewriting the run row (src/store/run-live.ts): every reader must still see the run's live
// step and count, and what follows (commit:false, an explicit step, a resume, finish, another
// connection) must store exactly what a rewrite on every call stores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSkillRunner } from '../../src/index.js';
import { openStore } from '../../src/store/index.js';
import { parseExtended } from '../../src/json/extended-json.js';
import { tempDir, isolated, valid } from '../helpers/tmp.js';
import { newRun } from '../store/contract.js';

interface RawRun {
  step: number;
  history_count: number;
  summary: string;
  summary_seq: number;
  pending_row: string | null;
  state: string;
}

/** The run row's stored columns and the history lines, read by a connection of its own. */
function raw(dir: string, runId: string): { run: RawRun; lines: string[] } {
  const db = new Database(join(dir, 'wandb', 'skill-store.sqlite'), { readonly: true });
  try {
    const run = db.prepare('SELECT step, history_count, summary, summary_seq, pending_row, state FROM runs WHERE id = ?').get(runId) as RawRun;
    const lines = db.prepare('SELECT h.row FROM history h JOIN runs r ON r.key = h.run_key WHERE r.id = ? ORDER BY h.seq').pluck().all(runId) as string[];
    return { run, lines };
  } finally {
    db.close();
  }
}

/**
 * One scenario under a clock that moves `tickMs` per call: 0.1 s takes the plain path (the heartbeat
 * stays fresh), 2 s rewrites the run row on every call (as before the plain path existed). The clock
 * is the same at every call of both, but for the gap between calls, so rows differ only by _runtime
 * and _timestamp, which are compared apart.
 */
async function scenario(tickMs: number) {
  const { dir, cleanup } = tempDir();
  let clock = 1_700_000_000_000;
  const o = { ...isolated(dir), now: () => clock };
  const runner = createSkillRunner(o);
  const call = async (input: Record<string, unknown>) => {
    clock += tickMs;
    return valid(await runner.execute(input));
  };
  const runId = (await call({ action: 'init', project: 'p', runConfig: { name: 'r' } })).runId as string;
  const log = (logData: Record<string, unknown>) => call({ action: 'log', project: 'p', runId, logData });
  const seen: Array<{ step: unknown; history: unknown }> = [];
  const note = (out: Record<string, unknown>) => seen.push({ step: out['step'], history: out['historyLength'] });
  for (let i = 0; i < 5; i++) note(await log({ metrics: { loss: 1 / (i + 1), acc: i } }));
  const mid = raw(dir, runId).run;
  // Another connection (another process would open its own) sees the live step and count.
  const other = openStore({ path: join(dir, 'wandb', 'skill-store.sqlite') });
  const live = other.runs.get('p', runId);
  other.close();
  note(await log({ metrics: { a: 1 }, commit: false }));
  note(await log({ metrics: { b: 2 } }));
  for (let i = 0; i < 3; i++) note(await log({ metrics: { loss: i } }));
  note(await log({ metrics: { c: 3 }, step: 20, commit: true }));
  note(await log({ metrics: { d: 4 } }));
  // Another runner (its own connection) logs to the run, then a resume from a third.
  const second = createSkillRunner(o);
  clock += tickMs;
  note(valid(await second.execute({ action: 'log', project: 'p', runId, logData: { metrics: { e: 5 } } })));
  second.close();
  runner.close();
  const third = createSkillRunner(o);
  clock += tickMs;
  const resumed = valid(await third.execute({ action: 'init', project: 'p', runConfig: { id: runId, resume: 'allow' } }));
  clock += tickMs;
  note(valid(await third.execute({ action: 'log', project: 'p', runId, logData: { metrics: { f: 6 } } })));
  clock += tickMs;
  const fin = valid(await third.execute({ action: 'finish', project: 'p', runId }));
  third.close();
  const end = raw(dir, runId);
  cleanup();
  return { mid, live, seen, resumed, fin, end };
}

/** A history line (or summary) without the keys that depend on the clock's gaps. */
const clockFree = (line: string) => {
  const { _runtime: _r, _timestamp: _t, _wandb: _w, ...rest } = parseExtended(line) as Record<string, unknown>;
  return rest;
};

test('a plain log leaves the run row as it is, and every reader sees the live step and count', async () => {
  const fast = await scenario(100);
  // The plain path was taken: the stored columns lag behind the history ...
  assert.equal(fast.mid.step, 0);
  assert.equal(fast.mid.history_count, 0);
  // ... while another connection's record is live.
  assert.equal(fast.live?.step, 5);
  assert.equal(fast.live?.historyCount, 5);
  assert.equal(fast.live?.pendingRow, null);
});

test('plain appends store what a rewrite on every call stores: steps, rows, summary, resume and finish', async () => {
  const fast = await scenario(100);
  const slow = await scenario(2000);
  // The slow clock rewrote the run row on every log.
  assert.equal(slow.mid.step, 5);
  assert.equal(slow.mid.history_count, 5);
  assert.deepEqual(fast.seen, slow.seen);
  assert.deepEqual(
    fast.seen.map((s) => s.step),
    [0, 1, 2, 3, 4, 5, 5, 6, 7, 8, 20, 21, 22, 23],
  );
  assert.equal(fast.resumed['step'], slow.resumed['step']);
  assert.equal(fast.resumed['historyLength'], 12);
  assert.deepEqual(clockFree(JSON.stringify(fast.fin['summary'])), clockFree(JSON.stringify(slow.fin['summary'])));
  assert.deepEqual(fast.end.lines.map(clockFree), slow.end.lines.map(clockFree));
  const { summary: fs, ...fastRun } = fast.end.run;
  const { summary: ss, ...slowRun } = slow.end.run;
  assert.deepEqual(fastRun, slowRun);
  assert.deepEqual(clockFree(fs), clockFree(ss));
  assert.equal(fast.end.run.step, 24);
  assert.equal(fast.end.run.history_count, 13);
});

test('SQL that compares counts reads the live count: sync finds unsent rows, queries see a stale summary', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const path = join(dir, 'store.sqlite');
    const store = openStore({ path });
    const run = store.write(() => store.runs.insert(newRun({ project: 'p', id: 'r1', displayName: 'r', config: {}, tags: [], now: 1 })));
    // Everything replicated and folded so far: nothing to send, nothing stale.
    store.write(() => store.sync.ensure(run.key, 'http://x'));
    store.write(() => store.sync.update(run.key, { storageId: 's', historySent: 0 }));
    assert.deepEqual(store.sync.unsentRunKeys(), []);
    assert.deepEqual(store.runSearch.staleSummaries(['p']), []);
    // Two plain appends: rows only, the run row untouched.
    store.write(() => {
      store.history.append(run.key, 0, 0, '{"loss":1,"_step":0}');
      store.runs.noteAppended(run.key, 1, 1);
    });
    store.write(() => {
      store.history.append(run.key, 1, 1, '{"loss":2,"_step":1}');
      store.runs.noteAppended(run.key, 2, 2);
    });
    const other = openStore({ path });
    try {
      const seen = other.runs.get('p', 'r1');
      assert.deepEqual([seen?.step, seen?.historyCount], [2, 2]);
      assert.deepEqual([other.runs.getByKey(run.key)?.step, other.runs.findById('r1')[0]?.historyCount], [2, 2]);
      assert.deepEqual(other.sync.unsentRunKeys(), [run.key]);
      assert.deepEqual(other.runSearch.staleSummaries(['p']), [run.key]);
      assert.equal(other.runQueries.facetSample({ entity: 'local', project: 'p' })[0]?.stale, 1);
      // Once sent, the run is no longer unsent.
      other.write(() => other.sync.update(run.key, { historySent: 2 }));
      assert.deepEqual(other.sync.unsentRunKeys(), []);
    } finally {
      other.close();
      store.close();
    }
  } finally {
    cleanup();
  }
});
