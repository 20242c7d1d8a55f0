/**
 * A `.wandb` file in the shape W&B's Python client writes (bench/wandb-files.ts imports it): every
 * key as `nested_key` (one nested metric, `val.acc`), and two summary records before each history
 * record (`_wandb.runtime` and `_runtime`, then every key of the row), as 0.30.0 does.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FrameWriter } from '../src/wandb-files/framing.js';
import { W } from '../src/wandb-files/records.js';

/** Writes `<dir>/offline-run-20260101_000000-pyshape1/run-pyshape1.wandb`; returns its folder. */
export function writePythonShape(dir: string, steps: number, metrics: number): string {
  const folder = join(dir, 'offline-run-20260101_000000-pyshape1');
  mkdirSync(folder, { recursive: true });
  const w = new FrameWriter();
  const pieces: Buffer[] = [];
  let num = 0;
  const put = (rec: Record<string, unknown>): void => {
    w.append(W.Record.encode({ num: ++num, ...rec }).finish());
    const piece = w.drain();
    if (piece !== undefined) pieces.push(piece);
  };
  put({
    run: { run_id: 'pyshape1', project: 'py', start_time: { seconds: 1_800_000_000, nanos: 0 }, config: { update: [{ key: 'lr', value_json: '0.01' }] } },
  });
  for (let s = 0; s < steps; s++) {
    const t = 1_800_000_000 + s * 0.01;
    const items = [{ nested_key: ['_step'], value_json: String(s) }];
    for (let m = 0; m < metrics - 1; m++) items.push({ nested_key: [`train/m${m}`], value_json: String(Math.sin(s + m)) });
    items.push({ nested_key: ['val', 'acc'], value_json: String(s / steps) });
    items.push({ nested_key: ['_timestamp'], value_json: t.toExponential() }, { nested_key: ['_runtime'], value_json: String(s * 0.01) });
    put({
      summary: {
        update: [
          { nested_key: ['_wandb', 'runtime'], value_json: String(Math.floor(s / 100)) },
          { key: '_runtime', value_json: String(s * 0.01) },
        ],
      },
    });
    put({ summary: { update: items.slice(1).concat(items.slice(0, 1)) } });
    put({ history: { item: items, step: { num: s } } });
  }
  put({ exit: { exit_code: 0, runtime: Math.floor(steps / 100) } });
  pieces.push(w.finish());
  writeFileSync(join(folder, 'run-pyshape1.wandb'), Buffer.concat(pieces));
  return folder;
}
