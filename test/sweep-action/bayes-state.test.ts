// The bayes search state a sweep keeps in its store row (sweeps.search_state): the GP's fit and the
// trend's penalties, written by one next call and read by the following one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { sweepCaller, playRun } from './helpers.js';
import { tempDir } from '../helpers/tmp.js';

test('a stored bayes state keeps the trend between calls, and a malformed trend is chosen again, not fatal', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const { call, runner } = sweepCaller(dir);
  t.after(() => runner.close());
  const sweepConfig = {
    method: 'bayes',
    metric: { name: 'loss', goal: 'minimize' },
    parameters: { x: { distribution: 'uniform', min: -5, max: 5 }, y: { distribution: 'uniform', min: -5, max: 5 } },
  };
  const { sweepId } = await call({ action: 'sweep', project: 'p', sweepConfig });
  const db = new Database(join(dir, 'wandb', 'skill-store.sqlite'));
  t.after(() => db.close());
  const stored = (): Record<string, unknown> | null => {
    const row = db.prepare('SELECT search_state AS s FROM sweeps WHERE id = ?').get(sweepId) as { s: string | null };
    return row.s === null ? null : (JSON.parse(row.s) as Record<string, unknown>);
  };
  const trial = async () => {
    const n = await call({ action: 'sweep', operation: 'next', sweepId });
    assert.equal(n.status, 'success');
    const c = n.suggestion?.config as { x: number; y: number };
    await playRun(call, 'p', n.runId as string, 'loss', [(c.x - 1) ** 2 + (c.y + 2) ** 2]);
  };
  for (let i = 0; i < 12; i++) await trial();
  const state = stored();
  assert.ok(state && Array.isArray(state['lengthScales']));
  assert.ok('trend' in state, `the state holds the trend's choice: ${JSON.stringify(state)}`);
  let finished = 12;
  for (const bad of [{ linear: -1, square: 3 }, { linear: 'x' }, 7, { linear: 1, square: 0 }]) {
    // Fitted at the current count: the next call fits nothing and reads the trend from the state.
    const forged = { ...state, coldAt: finished, fitAt: finished, trend: bad };
    db.prepare('UPDATE sweeps SET search_state = ? WHERE id = ?').run(JSON.stringify(forged), sweepId);
    finished++;
    await trial();
    const after = stored();
    assert.ok(after);
    const trend = after['trend'] as { linear?: unknown; square?: unknown } | null;
    assert.ok(trend === null || (typeof trend.linear === 'number' && trend.linear > 0), `chosen again: ${JSON.stringify(trend)}`);
    assert.equal(after['fitAt'], finished - 1, 'no fit in that call');
  }
});
