import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createProgressBar } from '../../src/cli/progress.js';

function sink(tty: boolean): Writable & { isTTY?: boolean; text: string } {
  const w = new Writable({
    write(chunk, _e, cb) {
      w.text += chunk.toString();
      cb();
    },
  }) as Writable & { isTTY?: boolean; text: string };
  w.text = '';
  w.isTTY = tty;
  return w;
}

test('a bar is drawn only on a terminal, throttled, and ends with a newline', () => {
  assert.equal(createProgressBar(sink(false)), undefined);
  const s = sink(true);
  let t = 0;
  const bar = createProgressBar(s, () => t);
  assert.ok(bar);
  bar({ label: 'artifact data', done: 0, total: 2048, unit: 'bytes' });
  t = 50;
  bar({ label: 'artifact data', done: 1024, total: 2048, unit: 'bytes' }); // throttled
  t = 200;
  bar({ label: 'artifact data', done: 2048, total: 2048, unit: 'bytes' });
  const frames = s.text.split('\r').filter((f) => f !== '');
  assert.equal(frames.length, 2);
  assert.match(frames[1] as string, /artifact data \[#{28}\] 2\.0 KiB\/2\.0 KiB/);
  assert.ok(s.text.endsWith('\n'));
});
