/**
 * What the demo logs about a trained model besides scalars: the confusion matrix as a W&B table,
 * a histogram of the weights, the decision boundary as a PNG, and the weights as a model file.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from './data.js';
import type { Mlp } from './mlp.js';
import { encodePng } from './png.js';

export const CLASS_NAMES = ['spiral-0', 'spiral-1', 'spiral-2'];
const COLOURS: Array<[number, number, number]> = [
  [66, 133, 244],
  [219, 68, 55],
  [15, 157, 88],
];

function argmax(p: Float64Array): number {
  let best = 0;
  for (let c = 1; c < p.length; c++) if ((p[c] as number) > (p[best] as number)) best = c;
  return best;
}

/** W&B's confusion-matrix table layout: one row per (actual, predicted) pair with its count. */
export function confusionTable(model: Mlp, data: Dataset): { _type: 'table'; columns: string[]; data: Array<[string, string, number]> } {
  const counts = Array.from({ length: data.classes }, () => new Array<number>(data.classes).fill(0));
  for (let i = 0; i < data.n; i++) {
    const pred = argmax(model.predict(data.x[i * 2] as number, data.x[i * 2 + 1] as number));
    const row = counts[data.y[i] as number] as number[];
    row[pred] = (row[pred] as number) + 1;
  }
  const rows: Array<[string, string, number]> = [];
  counts.forEach((row, a) => row.forEach((n, p) => rows.push([CLASS_NAMES[a] ?? String(a), CLASS_NAMES[p] ?? String(p), n])));
  return { _type: 'table', columns: ['Actual', 'Predicted', 'nPredictions'], data: rows };
}

/** Every weight of the model, for a histogram. */
export function weightHistogram(model: Mlp): { _type: 'histogram'; sequence: number[] } {
  const w = model.weights();
  return { _type: 'histogram', sequence: [...w.W1, ...w.W2] };
}

/** The predicted class over [-1.1, 1.1]^2 as a `size` x `size` PNG, with the validation points drawn darker. */
export function decisionBoundaryPng(model: Mlp, data: Dataset, size = 96): Buffer {
  const rgb = new Uint8Array(size * size * 3);
  const span = 2.2;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const p = model.predict(-1.1 + ((px + 0.5) / size) * span, 1.1 - ((py + 0.5) / size) * span);
      const c = COLOURS[argmax(p)] as [number, number, number];
      const o = (py * size + px) * 3;
      // Pale where the model is unsure: mix towards white by (1 - confidence).
      const conf = Math.max(...p);
      for (let k = 0; k < 3; k++) rgb[o + k] = Math.round(255 - (255 - c[k]!) * 0.55 * conf);
    }
  }
  for (let i = 0; i < data.n; i++) {
    const px = Math.floor((((data.x[i * 2] as number) + 1.1) / span) * size);
    const py = Math.floor(((1.1 - (data.x[i * 2 + 1] as number)) / span) * size);
    if (px < 0 || py < 0 || px >= size || py >= size) continue;
    const c = COLOURS[data.y[i] as number] as [number, number, number];
    const o = (py * size + px) * 3;
    for (let k = 0; k < 3; k++) rgb[o + k] = Math.round(c[k]! * 0.6);
  }
  return encodePng(size, size, rgb);
}

/** Writes the model's weights as JSON into `folder` (created); returns the file's path. */
export function saveModel(model: Mlp, folder: string, meta: Record<string, unknown>): string {
  mkdirSync(folder, { recursive: true });
  const path = join(folder, 'model.json');
  writeFileSync(path, `${JSON.stringify({ format: 'demo-mlp-v1', ...meta, ...model.weights() })}\n`);
  return path;
}
