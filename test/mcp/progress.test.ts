import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCallsInFlight, CANCELLED } from '../../src/mcp/calls.js';
import { progressSink, type ProgressNotification } from '../../src/mcp/progress.js';
import type { ProgressEvent } from '../../src/services.js';

const ev = (done: number, total = 100): ProgressEvent => ({ label: 'artifact x', done, total, unit: 'bytes' });

test('a progress sink: throttled, increasing, each notification sent when heard, nothing after close()', async () => {
  const sent: ProgressNotification[] = [];
  let t = 0;
  const p = progressSink(
    async (n) => void sent.push(n),
    'tok',
    () => t,
  );
  p(ev(10));
  assert.equal(sent.length, 1, 'sent at once, not after a wait');
  t = 50;
  p(ev(20)); // throttled
  t = 200;
  p(ev(30));
  p(ev(30)); // not increasing
  t = 250;
  p(ev(100)); // throttled like any other: the result is the last word
  t = 400;
  p(ev(25)); // going back
  await p.close();
  t = 1000;
  p(ev(100)); // closed
  assert.deepEqual(
    sent.map((n) => n.params.progress),
    [10, 30],
  );
  assert.ok(
    sent.every((n) => n.params.progressToken === 'tok' && n.params.total === 100 && n.params.message === `artifact x: ${n.params.progress} of 100 bytes`),
  );
});

test('a notification that cannot be sent does not fail the call, and close() still resolves', async () => {
  const p = progressSink(() => Promise.reject(new Error('client gone')), 7);
  p(ev(1));
  await p.close();
});

test('calls in flight: side by side; a cancelled one resolves at once and idle() still waits for it', async () => {
  const calls = createCallsInFlight();
  let release: () => void = () => undefined;
  const slow = new Promise<string>((r) => (release = () => r('slow')));
  const a = new AbortController();
  const cancelled = calls.track(slow, a.signal);
  const quick = calls.track(Promise.resolve('quick'), new AbortController().signal);
  assert.equal(await quick, 'quick', 'a call does not wait for the one before it');
  a.abort();
  assert.equal(await cancelled, CANCELLED);
  let idle = false;
  const waiting = calls.idle().then(() => (idle = true));
  await new Promise((r) => setImmediate(r));
  assert.equal(idle, false, 'the cancelled call is still running');
  release();
  await waiting;
  assert.equal(idle, true);
  // Already aborted: CANCELLED, and a failing call's error reaches its request.
  const gone = new AbortController();
  gone.abort();
  assert.equal(await calls.track(Promise.resolve(1), gone.signal), CANCELLED);
  await assert.rejects(calls.track(Promise.reject(new Error('boom')), new AbortController().signal), /boom/);
  await calls.idle();
});
