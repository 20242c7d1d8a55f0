/** Test data for report rendering: deterministic runs, a sweep, media files in a temp dir. */

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import { seededRandom } from '../../src/seeded-random.js';
import type { ReportData, ReportRun } from '../../src/report/types.js';

/** A deterministic pseudo-random generator (mulberry32). */
export function rng(seed: number): () => number {
  return seededRandom(seed);
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A small RGB gradient PNG. */
export function makePng(width: number, height: number, hue: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    for (let x = 0; x < width; x++) {
      raw[row + 1 + x * 3] = (x * 255) / width;
      raw[row + 2 + x * 3] = (y * 255) / height;
      raw[row + 3 + x * 3] = hue;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export interface RunSpec {
  runId: string;
  name: string;
  steps: number;
  lr: number;
  optimizer: string;
  seed: number;
  spikeAt?: number;
}

/** A run whose loss decays with noise (and an optional spike) and whose accuracy rises. */
export function makeRun(spec: RunSpec): ReportRun {
  const rand = rng(spec.seed);
  const history: Array<Record<string, unknown>> = new Array(spec.steps);
  const speed = spec.lr * 40;
  let loss = 0;
  let acc = 0;
  for (let s = 0; s < spec.steps; s++) {
    const t = s / Math.max(1, spec.steps - 1);
    loss = 2.5 * Math.exp(-speed * t * 5) + 0.1 + (rand() - 0.5) * 0.08;
    if (s === spec.spikeAt) loss = 9.5;
    acc = 0.5 + 0.45 * (1 - Math.exp(-speed * t * 4)) + (rand() - 0.5) * 0.02;
    history[s] = { _step: s, loss, acc };
  }
  return {
    runId: spec.runId,
    name: spec.name,
    state: 'finished',
    config: { lr: spec.lr, optimizer: spec.optimizer, batch_size: 32 },
    summary: { _step: spec.steps - 1, loss, acc },
    tags: ['test'],
    createdAt: '2025-01-01T00:00:00Z',
    history,
  };
}

/** A temp directory with run files: an image and a table under `media/`. */
export function makeFilesDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'report-test-'));
  mkdirSync(join(dir, 'media', 'images'), { recursive: true });
  mkdirSync(join(dir, 'media', 'table'), { recursive: true });
  writeFileSync(join(dir, 'media', 'images', 'samples_10_abc.png'), makePng(48, 32, 180));
  writeFileSync(
    join(dir, 'media', 'table', 'preds_10_def.table.json'),
    JSON.stringify({
      columns: ['id', 'label', 'pred'],
      data: [
        [1, 'cat', 'cat'],
        [2, 'dog', '</script>'],
        [3, 'cat', 'dog'],
      ],
    }),
  );
  return dir;
}

/** Report data for a three-run sweep with groups by optimizer. */
export function makeReportData(overrides: Partial<ReportData> = {}, steps = 200): ReportData {
  const runs = [
    makeRun({ runId: 'aaaa1111', name: 'brisk-river-1', steps, lr: 0.01, optimizer: 'adam', seed: 1, spikeAt: Math.floor(steps / 3) }),
    makeRun({ runId: 'bbbb2222', name: 'calm-sun-2', steps, lr: 0.003, optimizer: 'sgd', seed: 2 }),
    makeRun({ runId: 'cccc3333', name: 'dry-leaf-3', steps, lr: 0.03, optimizer: 'adam', seed: 3 }),
  ];
  return {
    title: 'Learning-rate sweep',
    description: 'Three runs of a small sweep.\nSecond line.',
    project: 'demo',
    entity: 'team',
    generatedAt: '2025-01-02T03:04:05Z',
    runs,
    sweep: { sweepId: 'sw1', method: 'random', metric: { name: 'loss', goal: 'minimize' }, parameters: ['lr', 'optimizer'] },
    ...overrides,
  };
}

/** `count` runs of the fixture's decaying loss; run i trains with its own rate and `stepsOf(i)` steps. */
export function manyRuns(count: number, stepsOf: (i: number) => number = () => 60): ReportRun[] {
  return Array.from({ length: count }, (_, i) => {
    const r = makeRun({
      runId: `run${String(i).padStart(3, '0')}`,
      name: `run-${i}`,
      steps: stepsOf(i),
      lr: 0.001 + (i % 37) * 0.0007,
      optimizer: i % 2 ? 'sgd' : 'adam',
      seed: i + 1,
    });
    r.config['arch'] = i % 2 ? 'convnext' : 'resnet';
    return r;
  });
}
