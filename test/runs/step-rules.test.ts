// W&B's step and merge rules as pure functions: the step bound (issue 11 item 14), metric keys named
// like Object's own properties (item 15) and nested metrics merged key by key (item 20).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyLog, flushPending, MAX_STEP, type StepState } from '../../src/runs/steps.js';
import { foldRowInto } from '../../src/runs/summary.js';
import { mergeLogged } from '../../src/runs/merge.js';
import { SkillError } from '../../src/errors.js';

interface Call {
  metrics: Record<string, unknown>;
  step?: number;
  commit?: boolean;
}

/** Runs log calls from a fresh run, then finish; returns the committed rows as [step, row] pairs. */
function history(calls: Call[]): Array<[number, Record<string, unknown>]> {
  let state: StepState = { step: 0, pending: null };
  const out: Array<[number, Record<string, unknown>]> = [];
  for (const c of calls) {
    let o;
    try {
      // Each call gets its own parsed copy, as the store hands applyLog one.
      o = applyLog(state, { ...c, metrics: JSON.parse(JSON.stringify(c.metrics)) as Record<string, unknown> });
    } catch (e) {
      if (e instanceof SkillError && e.code === 'CONFLICT') continue; // W&B drops a lower step
      throw e;
    }
    for (const r of o.commits) out.push([r.step, r.row]);
    state = o.next;
  }
  for (const r of flushPending(state).commits) out.push([r.step, r.row]);
  return out;
}

const isConflictOnStep = (e: unknown): boolean =>
  e instanceof SkillError && e.code === 'CONFLICT' && (e.details?.issues ?? []).some((i) => i.path === 'logData.step');

test('W&B histories of ten log sequences (commit: false, given, lower, equal and jumping steps)', () => {
  const cases: Array<[string, Call[], Array<[number, Record<string, unknown>]>]> = [
    [
      'plain logs',
      [{ metrics: { a: 1 } }, { metrics: { a: 2 } }],
      [
        [0, { a: 1 }],
        [1, { a: 2 }],
      ],
    ],
    ['commit: false then commit', [{ metrics: { a: 1 }, commit: false }, { metrics: { b: 2 } }], [[0, { a: 1, b: 2 }]]],
    [
      'commit: false twice, last wins',
      [{ metrics: { a: 1 }, commit: false }, { metrics: { a: 2 }, commit: false }, { metrics: { b: 1 } }],
      [[0, { a: 2, b: 1 }]],
    ],
    [
      'equal steps merge, a higher one commits',
      [
        { metrics: { a: 1 }, step: 5 },
        { metrics: { b: 2 }, step: 5 },
        { metrics: { c: 3 }, step: 6 },
      ],
      [
        [5, { a: 1, b: 2 }],
        [6, { c: 3 }],
      ],
    ],
    [
      'a lower step is dropped',
      [
        { metrics: { a: 1 }, step: 5 },
        { metrics: { a: 2 }, step: 3 },
      ],
      [[5, { a: 1 }]],
    ],
    [
      'no step after a given step joins it',
      [{ metrics: { a: 1 }, step: 2 }, { metrics: { b: 1 } }, { metrics: { c: 1 } }],
      [
        [2, { a: 1, b: 1 }],
        [3, { c: 1 }],
      ],
    ],
    [
      'a given step with commit: true',
      [{ metrics: { a: 1 }, step: 3, commit: true }, { metrics: { b: 1 } }],
      [
        [3, { a: 1 }],
        [4, { b: 1 }],
      ],
    ],
    [
      'a step jump',
      [{ metrics: { a: 1 } }, { metrics: { b: 1 }, step: 10 }, { metrics: { c: 1 } }],
      [
        [0, { a: 1 }],
        [10, { b: 1, c: 1 }],
      ],
    ],
    [
      "nested metrics merge key by key (the issue's case)",
      [{ metrics: { x: { y: 1 } } }, { metrics: { x: { z: 2 } }, commit: false }, { metrics: { x: { y: 3 } } }],
      [
        [0, { x: { y: 1 } }],
        [1, { x: { z: 2, y: 3 } }],
      ],
    ],
    [
      'nested metrics at an equal step merge, across steps they do not',
      [
        { metrics: { x: { y: 1 } }, step: 2 },
        { metrics: { x: { z: 2 } }, step: 2 },
        { metrics: { x: { w: 3 } }, step: 4 },
      ],
      [
        [2, { x: { y: 1, z: 2 } }],
        [4, { x: { w: 3 } }],
      ],
    ],
  ];
  for (const [name, calls, want] of cases) assert.deepEqual(history(calls), want, name);
});

test('nested merge goes to any depth; a value that is not an object replaces, and is replaced, whole', () => {
  const rows = history([
    { metrics: { t: { a: { b: { c: 1 } } }, leaf: 1, list: [1, 2], g: { k: 1 } }, commit: false },
    { metrics: { t: { a: { b: { d: 2 }, e: 3 } }, leaf: { now: 'group' }, list: [3], g: 5 } },
  ]);
  assert.deepEqual(rows, [[0, { t: { a: { b: { c: 1, d: 2 }, e: 3 } }, leaf: { now: 'group' }, list: [3], g: 5 }]]);
});

test('a media descriptor (an object with _type) is one value: replaced, never merged', () => {
  const img = (path: string, extra: Record<string, unknown> = {}) => ({ _type: 'image-file', path, sha256: path, size: 1, ...extra });
  const rows = history([
    { metrics: { s: { pic: img('a.png', { caption: 'old' }) }, h: { _type: 'histogram', bins: [0, 1], values: [3] } }, commit: false },
    { metrics: { s: { pic: img('b.png') }, h: { values: [9] } } },
  ]);
  assert.deepEqual(rows, [[0, { s: { pic: img('b.png') }, h: { values: [9] } }]]);
  // A plain group over a descriptor, and a descriptor over a plain group, replace too.
  assert.deepEqual(history([{ metrics: { m: { k: 1 } }, commit: false }, { metrics: { m: img('c.png') } }]), [[0, { m: img('c.png') }]]);
});

test('merging never changes the objects of an earlier call', () => {
  const first = { x: { y: 1 } };
  const a = applyLog({ step: 0, pending: null }, { metrics: { ...first }, commit: false });
  const kept = a.next.pending?.['x'];
  const b = applyLog(a.next, { metrics: { x: { z: 2 } } });
  assert.deepEqual(b.commits[0]?.row, { x: { y: 1, z: 2 } });
  assert.deepEqual(kept, { y: 1 }, "the first call's nested object is copied, not changed");
  assert.deepEqual(first, { x: { y: 1 } });
});

test('a metric named __proto__ (top level or nested) is stored as data and changes no prototype', () => {
  const parsed = (s: string) => JSON.parse(s) as Record<string, unknown>;
  const a = applyLog({ step: 0, pending: null }, { metrics: { a: 1 }, commit: false });
  const b = applyLog(a.next, { metrics: parsed('{"__proto__": {"polluted": 1}, "n": {"k": 1}}'), commit: false });
  const c = applyLog(b.next, { metrics: parsed('{"n": {"__proto__": {"polluted": 2}}, "constructor": {"prototype": {"polluted": 3}}, "prototype": 4}') });
  const row = c.commits[0]?.row as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(row), Object.prototype);
  assert.ok(Object.hasOwn(row, '__proto__'), 'top-level __proto__ is an own key');
  assert.deepEqual(Object.getOwnPropertyDescriptor(row, '__proto__')?.value, { polluted: 1 });
  const n = row['n'] as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(n), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(n, '__proto__')?.value, { polluted: 2 });
  assert.equal(n['k'], 1, 'the nested group merged');
  assert.deepEqual(row['constructor'], { prototype: { polluted: 3 } });
  assert.equal(row['prototype'], 4);
  assert.equal(
    JSON.stringify(row),
    '{"a":1,"__proto__":{"polluted":1},"n":{"k":1,"__proto__":{"polluted":2}},"constructor":{"prototype":{"polluted":3}},"prototype":4}',
  );
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  // A second __proto__ merges into the first, key by key, like any group.
  const d = applyLog(c.next, { metrics: parsed('{"__proto__": {"p": 1}}'), commit: false });
  const e = applyLog(d.next, { metrics: parsed('{"__proto__": {"q": 2}}') });
  assert.deepEqual(Object.getOwnPropertyDescriptor(e.commits[0]?.row, '__proto__')?.value, { p: 1, q: 2 });
});

test('the summary merges nested values key by key, replaces descriptors and keeps __proto__ as data', () => {
  const summary: Record<string, unknown> = {};
  const before = { ...summary };
  foldRowInto(
    summary,
    JSON.parse('{"x": {"y": 1}, "img": {"_type": "image-file", "path": "a", "caption": "c"}, "__proto__": {"a": 1}, "_runtime": 2.5}') as Record<
      string,
      unknown
    >,
  );
  const snapshot = { ...summary };
  foldRowInto(
    summary,
    JSON.parse('{"x": {"z": 2}, "img": {"_type": "image-file", "path": "b"}, "__proto__": {"b": 2}, "constructor": 1}') as Record<string, unknown>,
  );
  assert.deepEqual(summary['x'], { y: 1, z: 2 });
  assert.deepEqual(summary['img'], { _type: 'image-file', path: 'b' });
  assert.deepEqual(Object.getOwnPropertyDescriptor(summary, '__proto__')?.value, { a: 1, b: 2 });
  assert.equal(Object.getPrototypeOf(summary), Object.prototype);
  assert.equal(summary['constructor'], 1);
  assert.deepEqual(summary['_wandb'], { runtime: 2 });
  assert.deepEqual(snapshot['x'], { y: 1 }, 'an earlier shallow copy keeps its values');
  assert.deepEqual(before, {});
});

test('steps stop at 2^53 - 1: the row there is kept, any later log is refused, no step repeats', () => {
  // The issue's sequence: a given step at the bound, then two logs without a step.
  const a = applyLog({ step: 0, pending: null }, { metrics: { a: 1 }, step: MAX_STEP });
  const b = applyLog(a.next, { metrics: { a: 2 } });
  assert.deepEqual(b.commits, [{ step: MAX_STEP, row: { a: 2 } }]);
  assert.throws(() => applyLog(b.next, { metrics: { a: 3 } }), isConflictOnStep);
  assert.throws(() => applyLog(b.next, { metrics: { a: 3 }, commit: false }), isConflictOnStep);
  assert.throws(() => applyLog(b.next, { metrics: { a: 3 }, step: MAX_STEP }), isConflictOnStep);
  // commit: true at the bound, and a pending row there flushed by finish, end the same way.
  const c = applyLog({ step: 7, pending: null }, { metrics: { a: 1 }, step: MAX_STEP, commit: true });
  assert.deepEqual(c.commits, [{ step: MAX_STEP, row: { a: 1 } }]);
  assert.throws(() => applyLog(c.next, { metrics: { b: 1 } }), isConflictOnStep);
  const f = flushPending({ step: MAX_STEP, pending: { a: 1 } });
  assert.deepEqual(f.commits, [{ step: MAX_STEP, row: { a: 1 } }]);
  assert.throws(() => applyLog(f.next, { metrics: { b: 1 } }), isConflictOnStep);
  // One below the bound still takes a log without a step, at the bound.
  const g = applyLog({ step: MAX_STEP - 1, pending: null }, { metrics: { a: 1 } });
  const h = applyLog(g.next, { metrics: { a: 2 } });
  assert.deepEqual(
    [...g.commits, ...h.commits].map((r) => r.step),
    [MAX_STEP - 1, MAX_STEP],
  );
});

test('a step that is not a safe whole number is refused with INVALID_INPUT naming logData.step', () => {
  for (const step of [MAX_STEP + 1, MAX_STEP + 2, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(
      () => applyLog({ step: 0, pending: null }, { metrics: { a: 1 }, step }),
      (e: unknown) => e instanceof SkillError && e.code === 'INVALID_INPUT' && e.details?.issues?.[0]?.path === 'logData.step',
      String(step),
    );
  }
});

test('merging deeply nested groups does not overflow the stack', () => {
  const chain = (depth: number, leaf: string): Record<string, unknown> => {
    let v: Record<string, unknown> = { [leaf]: 1 };
    for (let i = 0; i < depth; i++) v = { g: v };
    return v;
  };
  const target = chain(50_000, 'a');
  mergeLogged(target, chain(50_000, 'b'));
  let cur = target;
  for (let i = 0; i < 50_000; i++) cur = cur['g'] as Record<string, unknown>;
  assert.deepEqual(Object.keys(cur), ['a', 'b']);
});
