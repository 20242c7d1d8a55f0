import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { createSkillRunner, type SkillRunner } from '../../src/index.js';
import { openStore } from '../../src/store/index.js';
import { readSweep, varyingConfigKeys } from '../../src/actions/report/sweep-section.js';
import { slugify } from '../../src/actions/report/write.js';
import { tempDir, isolated, valid } from '../helpers/tmp.js';

const T0 = Date.UTC(2024, 0, 2, 3, 4, 5);

/** Runs with a config key `arm` (A/B), a tag each, and loss/acc histories; returns their ids. */
async function seed(runner: SkillRunner, runs: Array<{ name: string; arm: string; lr: number; tags?: string[]; scale: number }>): Promise<string[]> {
  const ids: string[] = [];
  for (const r of runs) {
    const init = valid(
      await runner.execute({ action: 'init', project: 'p', runConfig: { name: r.name, tags: r.tags ?? [], config: { arm: r.arm, lr: r.lr } } }),
    );
    const runId = init.runId as string;
    for (let i = 0; i < 30; i++) {
      valid(await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics: { loss: r.scale / (i + 1), acc: 1 - r.scale / (i + 2) } } }));
    }
    valid(await runner.execute({ action: 'finish', project: 'p', runId }));
    ids.push(runId);
  }
  return ids;
}

function setup(t: { after: (fn: () => void) => void }) {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  let clock = T0;
  const runner = createSkillRunner({ ...isolated(dir), now: () => (clock += 1000) });
  t.after(() => runner.close());
  return { dir, runner };
}

const AB = [
  { name: 'a1', arm: 'A', lr: 0.1, scale: 1.0, tags: ['ab'] },
  { name: 'a2', arm: 'A', lr: 0.1, scale: 1.1, tags: ['ab'] },
  { name: 'a3', arm: 'A', lr: 0.1, scale: 0.9, tags: ['ab'] },
  { name: 'b1', arm: 'B', lr: 0.1, scale: 2.0, tags: ['ab'] },
  { name: 'b2', arm: 'B', lr: 0.1, scale: 2.1, tags: ['ab'] },
  { name: 'b3', arm: 'B', lr: 0.1, scale: 1.9, tags: ['ab', 'x'] },
];

test('html report: written under wandb/reports, recorded, output has runs, best and per-group stats', async (t) => {
  const { dir, runner } = setup(t);
  const ids = await seed(runner, AB);
  const out = valid(await runner.execute({ action: 'report', project: 'p', reportConfig: { title: 'A/B test', metrics: ['loss', 'acc'], groupBy: 'arm' } }));
  assert.equal(out.status, 'success', JSON.stringify(out.error));
  const rep = out.report!;
  assert.equal(rep.format, 'html');
  assert.equal(dirname(rep.path), join(dir, 'wandb', 'reports'));
  assert.match(rep.path, /a-b-test-\d{8}-\d{6}\.html$/);
  const html = readFileSync(rep.path, 'utf8');
  assert.match(html, /^<!doctype html>/i);
  assert.match(html, /<svg/);
  assert.equal(rep.runs.length, 6);
  assert.deepEqual(new Set(rep.runs.map((r) => r['runId'])), new Set(ids));
  const r0 = rep.runs.find((r) => r['name'] === 'a3')!;
  assert.deepEqual(r0['config'], { arm: 'A', lr: 0.1 });
  assert.equal(r0['state'], 'finished');
  assert.ok(Math.abs(((r0['summary'] as Record<string, number>)['loss'] ?? 0) - 0.9 / 30) < 1e-12);
  // Best by loss (minimised, from the name): a3 has the smallest final loss.
  assert.equal(rep.best?.['name'], 'a3');
  assert.equal(rep.best?.['goal'], 'minimize');
  const stats = rep.stats as {
    groupBy: string;
    metrics: Array<{ metric: string; groups: Array<{ group: string; n: number; mean: number }>; comparisons: Array<{ welch: { p: number } }> }>;
  };
  assert.equal(stats.groupBy, 'arm');
  const loss = stats.metrics.find((m) => m.metric === 'loss')!;
  assert.deepEqual(loss.groups.map((g) => [g.group, g.n]).sort(), [
    ['A', 3],
    ['B', 3],
  ]);
  assert.ok(loss.comparisons[0]!.welch.p < 0.01, 'A and B differ clearly');
  assert.match(html, /Hypothesis tests/);

  const db = new Database(join(dir, 'wandb', 'skill-store.sqlite'), { readonly: true });
  t.after(() => db.close());
  const row = db.prepare('SELECT id, project, title, format, path, run_ids FROM reports').get() as Record<string, string>;
  assert.equal(row['id'], rep['id']);
  assert.equal(row['path'], rep.path);
  assert.equal(row['format'], 'html');
  assert.deepEqual(new Set(JSON.parse(row['run_ids'] as string) as string[]), new Set(ids));
});

test('markdown and json reports; selection by runIds and by tags; assets beside the .md', async (t) => {
  const { dir, runner } = setup(t);
  const ids = await seed(runner, AB.slice(0, 4));
  mkdirSync(join(dir, 'out'));
  const md = valid(
    await runner.execute({
      action: 'report',
      project: 'p',
      reportConfig: { title: 'MD', format: 'markdown', runIds: [ids[3]!, ids[0]!], outputPath: 'out/r.md' },
    }),
  );
  assert.equal(md.status, 'success', JSON.stringify(md.error));
  assert.equal(md.report?.path, join(dir, 'out', 'r.md'));
  assert.deepEqual(
    md.report?.runs.map((r) => r['runId']),
    [ids[3], ids[0]],
    'runIds order is kept',
  );
  const text = readFileSync(join(dir, 'out', 'r.md'), 'utf8');
  assert.match(text, /^# MD/m);
  const assets = readdirSync(join(dir, 'out', 'r-assets'));
  assert.ok(
    assets.some((f) => f.endsWith('.svg')),
    `charts beside the report: ${assets.join(',')}`,
  );
  for (const f of assets) assert.ok(text.includes(`r-assets/${f}`), `${f} is linked`);

  const js = valid(await runner.execute({ action: 'report', project: 'p', reportConfig: { title: 'J', format: 'json', tags: ['ab'], metrics: ['acc'] } }));
  assert.equal(js.report?.format, 'json');
  const doc = JSON.parse(readFileSync(js.report!.path, 'utf8')) as {
    runs: Array<{ runId: string; historyLength: number }>;
    best: { metric: string; goal: string };
  };
  assert.equal(doc.runs.length, 4);
  assert.equal(doc.runs[0]!.historyLength, 30);
  assert.deepEqual([doc.best.metric, doc.best.goal], ['acc', 'maximize']);
  assert.equal(js.report?.best?.['name'], 'a3');

  // Newest first when nothing is selected.
  const all = valid(await runner.execute({ action: 'report', project: 'p', reportConfig: { format: 'json' } }));
  assert.deepEqual(
    all.report?.runs.map((r) => r['runId']),
    [...ids].reverse(),
  );
});

test('a sweep report has the parallel-coordinates chart, the swept parameters and the best run', async (t) => {
  const { dir, runner } = setup(t);
  const ids = await seed(runner, [
    { name: 's1', arm: 'A', lr: 0.1, scale: 3 },
    { name: 's2', arm: 'A', lr: 0.01, scale: 1 },
    { name: 's3', arm: 'B', lr: 0.001, scale: 2 },
    { name: 'other', arm: 'B', lr: 0.5, scale: 0.1 },
  ]);
  runner.close();
  // Sweep membership as the sweep action records it: runs.sweep_id.
  const db = new Database(join(dir, 'wandb', 'skill-store.sqlite'));
  db.prepare('UPDATE runs SET sweep_id = ? WHERE id IN (?, ?, ?)').run('sw1', ids[0], ids[1], ids[2]);
  db.close();
  const out = valid(await runner.execute({ action: 'report', project: 'p', reportConfig: { title: 'Sweep', sweepId: 'sw1', metrics: ['loss'] } }));
  assert.equal(out.status, 'success', JSON.stringify(out.error));
  assert.equal(out.sweepId, 'sw1');
  assert.equal(out.report?.runs.length, 3, 'only the sweep runs');
  assert.equal(out.report?.best?.['name'], 's2');
  const html = readFileSync(out.report!.path, 'utf8');
  assert.match(html, /id="sweep-parallel"/);
  assert.match(html, /<h2>Sweep<\/h2>/);
  assert.ok(out.warnings?.some((w) => /config keys that differ/.test(w)));
  // Parameters derived from the runs: the config keys that differ.
  assert.deepEqual(
    varyingConfigKeys([
      { a: 1, b: 2 },
      { a: 1, b: 3 },
    ]),
    ['b'],
  );
});

test('readSweep takes method, state, metric and nested parameter names from the sweeps table', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const store = openStore({ path: join(dir, 'store.sqlite') });
  t.after(() => store.close());
  const config = {
    method: 'bayes',
    metric: { name: 'val.acc', goal: 'maximize' },
    parameters: { lr: { min: 0, max: 1 }, opt: { parameters: { beta: { values: [1, 2] } } } },
  };
  store.write(() =>
    store.sweeps.insert({
      id: 's',
      project: 'p',
      entity: null,
      config,
      method: 'bayes',
      state: 'RUNNING',
      seed: 's',
      controller: 'local',
      remoteId: null,
      now: 1,
    }),
  );
  assert.deepEqual(readSweep(store, 'p', 's'), {
    method: 'bayes',
    state: 'RUNNING',
    parameters: ['lr', 'opt.beta'],
    metric: { name: 'val.acc', goal: 'maximize' },
  });
  assert.equal(readSweep(store, 'p', 'nope'), undefined);
  assert.equal(readSweep(store, 'q', 's'), undefined, 'another project: no sweep');
});

test('a run named with HTML is escaped in the report; alerts raised appear', async (t) => {
  const { runner } = setup(t);
  const init = valid(
    await runner.execute({ action: 'init', project: 'p', runConfig: { name: '<script>alert(1)</script>', config: { note: '<img src=x onerror=alert(2)>' } } }),
  );
  const runId = init.runId as string;
  for (let i = 0; i < 5; i++) valid(await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics: { loss: i } } }));
  valid(await runner.execute({ action: 'alert', project: 'p', runId, alertConfig: { title: '<b>bold</b> alert', text: 't', level: 'ERROR' } }));
  const out = valid(await runner.execute({ action: 'report', project: 'p', reportConfig: { title: '</title><script>x()</script>' } }));
  const html = readFileSync(out.report!.path, 'utf8');
  assert.ok(!html.includes('<script>alert(1)</script>'));
  assert.ok(!html.includes('<script>x()</script>'));
  assert.ok(!html.includes('<img src=x'));
  assert.ok(!html.includes('<b>bold</b>'));
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  assert.match(html, /&lt;b&gt;bold&lt;\/b&gt; alert/);
  assert.equal(slugify('</title><script>x()</script>'), 'title-script-x-script');
});

test('bad report inputs: a directory or a missing folder as outputPath, unknown runs, empty selections', async (t) => {
  const { dir, runner } = setup(t);
  const ids = await seed(runner, AB.slice(0, 1));
  mkdirSync(join(dir, 'adir'));
  const cases: Array<[Record<string, unknown>, string, string]> = [
    [{ outputPath: 'adir' }, 'INVALID_INPUT', 'reportConfig.outputPath'],
    [{ outputPath: 'newdir/' }, 'INVALID_INPUT', 'reportConfig.outputPath'],
    [{ outputPath: 'missing/r.html' }, 'INVALID_INPUT', 'reportConfig.outputPath'],
    [{ runIds: [ids[0], 'nosuch'] }, 'NOT_FOUND', 'reportConfig.runIds.1'],
    [{ tags: ['nope'] }, 'NOT_FOUND', 'reportConfig.tags'],
    [{ sweepId: 'nosweep' }, 'NOT_FOUND', 'reportConfig.sweepId'],
    [{ format: 'pdf' }, 'INVALID_INPUT', 'reportConfig.format'],
    [{ maxPoints: 2 }, 'INVALID_INPUT', 'reportConfig.maxPoints'],
    [{ title: '' }, 'INVALID_INPUT', 'reportConfig.title'],
  ];
  for (const [cfg, code, path] of cases) {
    const out = valid(await runner.execute({ action: 'report', project: 'p', reportConfig: cfg }));
    assert.equal(out.status, 'error', JSON.stringify(cfg));
    assert.equal(out.error?.code, code, `${JSON.stringify(cfg)}: ${JSON.stringify(out.error)}`);
    assert.ok(
      out.error?.details?.issues?.some((i) => i.path === path),
      `${JSON.stringify(out.error?.details)} names ${path}`,
    );
  }
  assert.ok(!existsSync(join(dir, 'missing')));
  const empty = valid(await runner.execute({ action: 'report', project: 'empty' }));
  assert.equal(empty.error?.code, 'NOT_FOUND');
});
