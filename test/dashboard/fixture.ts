/** A store for the dashboard tests, built through executeSkill (plus a little direct SQL for fixtures). */
import { mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSkillRunner } from '../../src/index.js';
import { runFilesDir } from '../../src/runs/paths.js';
import { valid } from '../helpers/tmp.js';
import { png, wav } from '../media/helpers/encoders.js';

export const XSS_NAME = '<img src=x onerror=alert(1)>';
/** A 2x2 PNG. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP4z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');

export interface Fixture {
  dir: string;
  storePath: string;
  project: string;
  alpha: string;
  beta: string;
  xss: string;
  live: string;
  media: string;
  sweepRuns: string[];
  /** A run that logged a confusion-matrix chart preset. */
  charts: string;
  /** A run that logged a list of three images and a list of two audio clips (real encoder). */
  lists: string;
}

export async function buildFixture(dir: string): Promise<Fixture> {
  const project = 'demo';
  const runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: dir });
  const run = async (
    name: string,
    config: Record<string, unknown>,
    tags: string[],
    steps: number,
    f: (i: number) => Record<string, unknown>,
    finish = true,
  ): Promise<string> => {
    const init = valid(await runner.execute({ action: 'init', project, runConfig: { name, config, tags } }));
    const runId = init.runId as string;
    for (let i = 0; i < steps; i++) valid(await runner.execute({ action: 'log', project, runId, logData: { metrics: f(i) } }));
    if (finish) valid(await runner.execute({ action: 'finish', project, runId }));
    return runId;
  };
  const alpha = await run('alpha', { lr: 0.01, batch: 32 }, ['baseline'], 60, (i) => ({ loss: 2 / (i + 1), acc: 1 - 1 / (i + 2) }));
  const beta = await run('beta', { lr: 0.001, batch: 64 }, ['tuned'], 40, (i) => ({ loss: 3 / (i + 1), acc: 1 - 2 / (i + 3) }));
  const xss = await run(XSS_NAME, { note: '<script>alert(2)</script>' }, ['<b>tag</b>'], 5, (i) => ({ loss: i }));
  const sweepRuns: string[] = [];
  const grid = [
    { lr: 0.1, layers: 2, optimizer: 'adam' },
    { lr: 0.01, layers: 4, optimizer: 'sgd' },
    { lr: 0.001, layers: 3, optimizer: 'adam' },
    { lr: 0.0001, layers: 2, optimizer: 'sgd' },
  ];
  for (const [k, cfg] of grid.entries()) {
    sweepRuns.push(await run(`sweep-${k}`, cfg, ['sweep'], 10, (i) => ({ val_loss: (k + 1) * 0.1 + 1 / (i + 1) })));
  }
  const media = await run('with-media', {}, [], 3, (i) => ({ loss: i }));
  const charts = await run('with-charts', {}, [], 1, () => ({
    cm: { _type: 'chart', preset: 'confusion_matrix', yTrue: [0, 1, 1, 0, 1], preds: [0, 1, 0, 0, 1], classNames: ['cat', 'dog'], title: 'Pets' },
  }));
  const lists = await run('with-lists', {}, [], 1, () => ({
    examples: [0, 1, 2].map((k) => ({ _type: 'image', data: png(3 + k, 2).toString('base64'), caption: `example ${k}` })),
    clips: [8000, 16000].map((rate) => ({ _type: 'audio', data: wav(rate, 1, 16, rate / 4).toString('base64') })),
  }));
  const live = await run('live', { lr: 0.5 }, [], 5, (i) => ({ loss: 10 - i }), false);
  runner.close();

  const storePath = join(dir, 'wandb', 'skill-store.sqlite');
  const db = new Database(storePath);
  try {
    const mark = db.prepare("UPDATE runs SET sweep_id = 'sw1' WHERE project = ? AND id = ?");
    for (const id of sweepRuns) mark.run(project, id);
    // A logged image, as the media encoder writes it: the file under files/media and its descriptor in a row.
    const files = runFilesDir(dir, project, media);
    mkdirSync(join(files, 'media', 'images'), { recursive: true });
    writeFileSync(join(files, 'media', 'images', 'sample_3_abc.png'), PNG);
    writeFileSync(join(dir, 'secret.txt'), 'top secret');
    symlinkSync(join(dir, 'secret.txt'), join(files, 'media', 'images', 'link.png'));
    const r = db.prepare('SELECT key, history_count AS n, step FROM runs WHERE project = ? AND id = ?').get(project, media) as {
      key: number;
      n: number;
      step: number;
    };
    const row = {
      sample: {
        _type: 'image-file',
        path: 'media/images/sample_3_abc.png',
        sha256: 'abc',
        size: PNG.length,
        format: 'png',
        width: 2,
        height: 2,
        caption: 'a 2x2 test image',
      },
      _step: r.step,
      _runtime: 1,
      _timestamp: 1,
    };
    db.prepare('INSERT INTO history (run_key, seq, step, row) VALUES (?, ?, ?, ?)').run(r.key, r.n, r.step, JSON.stringify(row));
    db.prepare('UPDATE runs SET history_count = history_count + 1, step = step + 1 WHERE key = ?').run(r.key);
  } finally {
    db.close();
  }
  return { dir, storePath, project, alpha, beta, xss, live, media, charts, lists, sweepRuns };
}
