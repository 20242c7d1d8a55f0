import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCallQueue, CANCELLED } from '../../src/mcp/call-queue.js';
import { progressSender, type ProgressNotification } from '../../src/mcp/progress.js';
import type { ProgressEvent } from '../../src/services.js';

const ev = (done: number, total = 100): ProgressEvent => ({ label: 'artifact x', done, total, unit: 'bytes' });

test('calls run one at a time; progress goes to the running call only; a cancelled call stops hearing it', async () => {
  const q = createCallQueue();
  const heard: string[] = [];
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  const order: string[] = [];
  const a = new AbortController();
  const first = q.run(
    async () => {
      order.push('first start');
      q.progress(ev(1));
      await gate;
      q.progress(ev(2)); // after the cancel: nobody hears it
      order.push('first end');
      return 'first';
    },
    { signal: a.signal, onProgress: (p) => heard.push(`first ${p.done}`) },
  );
  const second = q.run(
    async () => {
      order.push('second start');
      q.progress(ev(3));
      return 'second';
    },
    { signal: new AbortController().signal, onProgress: (p) => heard.push(`second ${p.done}`) },
  );
  await new Promise((r) => setImmediate(r));
  a.abort();
  assert.equal(await first, CANCELLED, 'an aborted call resolves at once');
  assert.deepEqual(order, ['first start'], 'the second waits for the first, which goes on in the background');
  release();
  assert.equal(await second, 'second');
  assert.deepEqual(order, ['first start', 'first end', 'second start']);
  assert.deepEqual(heard, ['first 1', 'second 3']);
  // Cancelled before it started: it never runs.
  const gone = new AbortController();
  gone.abort();
  let ran = false;
  assert.equal(await q.run(async () => (ran = true), { signal: gone.signal }), CANCELLED);
  await q.idle();
  assert.equal(ran, false);
});

test('progress notifications: throttled, increasing, the last always sent, all written before sent() resolves', async () => {
  const sent: ProgressNotification[] = [];
  let t = 0;
  const p = progressSender(
    async (n) => void sent.push(n),
    'tok',
    () => t,
  );
  p(ev(10));
  t = 50;
  p(ev(20)); // throttled
  p(ev(20));
  t = 200;
  p(ev(30));
  p(ev(30)); // not increasing
  t = 210;
  p(ev(100)); // the last one, never throttled
  await p.sent();
  assert.deepEqual(
    sent.map((n) => n.params.progress),
    [10, 30, 100],
  );
  assert.ok(sent.every((n) => n.params.progressToken === 'tok' && n.params.total === 100));
});
