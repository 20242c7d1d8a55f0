import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { parseFilters, parseOrder } from '../../src/query/filters.js';
import { tempDir } from '../helpers/tmp.js';

test('runSearch: keys and values are bound, never pasted into SQL; a page past the end still counts', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const store = openStore({ path: join(dir, 'store.sqlite') });
  t.after(() => store.close());
  const evil = "x'); DROP TABLE runs; --";
  store.write(() => {
    for (let i = 0; i < 3; i += 1) {
      store.runs.insert({
        project: 'p',
        id: `r${i}`,
        entity: null,
        displayName: `run ${i}`,
        state: 'finished',
        config: { [evil]: i, lr: i / 10 },
        tags: [],
        notes: null,
        group: null,
        jobType: null,
        username: null,
        host: null,
        sweepId: null,
        now: 1000 + i,
      });
    }
  });
  const where = parseFilters({ [`config.${evil}`]: { $gte: 1 }, displayName: { $regex: "'; --" } });
  assert.deepEqual(store.runSearch.page(['p'], where, parseOrder(undefined), 10, 0), { total: 0, runs: [] });
  const hit = store.runSearch.page(['p'], parseFilters({ [`config.${evil}`]: { $gte: 1 } }), parseOrder(`-config.${evil}`), 10, 0);
  assert.deepEqual(
    hit.runs.map((r) => r.id),
    ['r2', 'r1'],
  );
  assert.equal(hit.total, 2);
  assert.deepEqual(store.runSearch.page(['p'], parseFilters({ 'config.lr': { $gte: 0 } }), parseOrder('+config.lr'), 2, 5), { total: 3, runs: [] });
  assert.equal(store.runSearch.count(['p', 'q'], undefined), 3);
  assert.throws(() => parseFilters({ 'config.a"b': 1 }), /double quote/);
});
