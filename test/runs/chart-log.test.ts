import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { executeSkill } from '../../src/index.js';
import { encodeMetrics, type MediaFile, type VisualizeEntry } from '../../src/media/index.js';
import { logRunTables, runTableArtifactName, safeArtifactName } from '../../src/media/run-tables.js';
import { runFilesDir } from '../../src/runs/paths.js';
import { openStore } from '../../src/store/index.js';
import { makeContext } from '../artifact-action/helpers.js';
import { runTableSink } from '../../src/actions/artifact/internal.js';
import { startWandbServer } from '../helpers/wandb-server.js';
import { runCli } from '../helpers/cli.js';
import { tempDir, isolated, valid } from '../helpers/tmp.js';

const CM = { _type: 'chart', preset: 'confusion_matrix', yTrue: [0, 0, 1, 1, 2], preds: [0, 1, 1, 1, 0], classNames: ['cat', 'dog', 'bird'] };
const ROC = {
  _type: 'chart',
  preset: 'roc_curve',
  yTrue: [0, 0, 1, 1],
  yProbas: [
    [0.9, 0.1],
    [0.6, 0.4],
    [0.65, 0.35],
    [0.2, 0.8],
  ],
  labels: ['neg', 'pos'],
};

async function initRun(dir: string): Promise<string> {
  return valid(await executeSkill({ action: 'init', project: 'p' }, isolated(dir))).runId as string;
}

/** A run's config straight from the store (no output field carries it). */
function storedConfig(dir: string, runId: string): Record<string, unknown> {
  const store = openStore({ path: join(dir, 'wandb', 'skill-store.sqlite') });
  try {
    return store.runs.get('p', runId)?.config ?? {};
  } finally {
    store.close();
  }
}

/** The sink log() would give logRunTables, and the run. */
function sinkAndRun(
  ctx: Parameters<typeof runTableSink>[0],
  store: Parameters<typeof runTableSink>[1],
  runId: string,
): [ReturnType<typeof runTableSink>, NonNullable<ReturnType<typeof store.runs.get>>] {
  const run = store.runs.get('p', runId);
  assert.ok(run);
  return [runTableSink(ctx, store, run), run];
}

/** Writes a chart's table into the run's files as log would, and returns the encoder's files. */
async function encodeInto(dir: string, runId: string, metrics: Record<string, unknown>): Promise<MediaFile[]> {
  return (await encodeMetrics(metrics, { filesDir: runFilesDir(dir, 'p', runId), step: 0 })).files;
}

test('logRunTables: each table file becomes run-<id>-<key> of type run_table, an output of the run; same content, same version', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runId = await initRun(dir);
  const files = await encodeInto(dir, runId, { cm: CM, note: { _type: 'html', html: '<p>x</p>' } });
  const ctx = makeContext(dir, { action: 'log', project: 'p', runId });
  t.after(() => ctx.opened()?.close());
  const store = ctx.store();
  const run = store.runs.get('p', runId);
  assert.ok(run);
  const first = await logRunTables(runTableSink(ctx, store, run), run, files);
  assert.deepEqual(first, [{ key: 'cm_table', name: `run-${runId}-cm_table`, version: 'v0', deduplicated: false }], 'only the table, not the html');
  const again = await logRunTables(runTableSink(ctx, store, run), run, files);
  assert.deepEqual(
    again.map((v) => [v.version, v.deduplicated]),
    [['v0', true]],
  );
  assert.deepEqual(ctx.warnings, []);

  const lineage = valid(
    await executeSkill({ action: 'artifact', operation: 'lineage', project: 'p', artifactConfig: { name: `run-${runId}-cm_table:latest` } }, isolated(dir)),
  );
  assert.equal(lineage.status, 'success', JSON.stringify(lineage));
  assert.equal(lineage.artifact?.type, 'run_table');
  assert.equal(lineage.artifact?.fileCount, 1);
  const edges = (lineage.lineage as { edges: Array<{ from: string; to: string; kind: string }> }).edges;
  assert.ok(
    edges.some((e) => e.kind === 'output' && e.from === `run:p/${runId}`),
    JSON.stringify(edges),
  );
  const out = join(dir, 'dl');
  valid(
    await executeSkill(
      { action: 'artifact', operation: 'download', project: 'p', artifactConfig: { name: `run-${runId}-cm_table:v0`, downloadPath: out } },
      isolated(dir),
    ),
  );
  const table = files.find((f) => f.kind === 'table') as MediaFile;
  assert.deepEqual(readFileSync(join(out, 'cm_table.table.json')), readFileSync(table.absPath), 'the artifact holds the table file as <key>.table.json');
});

test('run_table names follow W&B: unsafe characters become _, long names keep both ends; a clash is a warning, not a failure', async (t) => {
  assert.equal(runTableArtifactName('abc', 'eval/preds table'), 'run-abc-eval_preds_table');
  const long = safeArtifactName(`run-abc-${'k'.repeat(200)}-end`);
  assert.equal(long.length, 128);
  assert.ok(long.startsWith('run-abc-kkk') && long.endsWith('kk-end') && long.includes('..'));

  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runId = await initRun(dir);
  // A user collection of another type already holds the name W&B's run_table would take.
  const squat = join(dir, 'x.txt');
  writeFileSync(squat, 'x');
  valid(
    await executeSkill({ action: 'artifact', project: 'p', artifactConfig: { name: `run-${runId}-cm_table`, type: 'dataset', path: 'x.txt' } }, isolated(dir)),
  );
  const files = await encodeInto(dir, runId, { cm: CM, 'eval/preds': { _type: 'table', columns: ['a'], data: [[1]] } });
  const ctx = makeContext(dir, { action: 'log', project: 'p', runId });
  t.after(() => ctx.opened()?.close());
  const store = ctx.store();
  const made = await logRunTables(...sinkAndRun(ctx, store, runId), files);
  assert.deepEqual(
    made.map((m) => m.name),
    [`run-${runId}-eval_preds`],
    'the other table is still logged, its name made safe',
  );
  assert.equal(ctx.warnings.length, 1);
  assert.match(ctx.warnings[0] ?? '', /cm_table.*CONFLICT/);
});

test('online, a run_table artifact reaches the W&B server as an output of the run', async (t) => {
  const server = await startWandbServer();
  t.after(() => server.close());
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const env = { WANDB_API_KEY: server.apiKey, WANDB_BASE_URL: server.url, WANDB_MODE: 'online', WANDB_HTTP_TIMEOUT: '5' };
  const runId = valid(await executeSkill({ action: 'init', project: 'p' }, isolated(dir, env))).runId as string;
  const files = await encodeInto(dir, runId, { cm: CM });
  const ctx = makeContext(dir, { action: 'log', project: 'p', runId }, env);
  t.after(() => ctx.opened()?.close());
  const store = ctx.store();
  const made = await logRunTables(...sinkAndRun(ctx, store, runId), files);
  assert.equal(made.length, 1);
  assert.deepEqual(ctx.warnings, []);
  const remote = [...server.state.artifacts.values()].find((a) => a.runName === runId);
  assert.ok(remote, 'the server holds an artifact made by the run');
  assert.equal(remote.state, 'COMMITTED');
  const manifest = JSON.parse(remote.manifest?.data?.toString('utf8') ?? 'null') as { contents: Record<string, unknown> };
  assert.deepEqual(Object.keys(manifest.contents), ['cm_table.table.json']);
  assert.deepEqual(server.invalidDocuments, []);
});

// End to end through `log`: passes once src/actions/log.ts merges `encoded.visualize` into the
// run config and calls logRunTables after its transaction (see the wiring in the report).
test('log: a chart logs its table under <key>_table, its panel under _wandb.visualize, and a run_table artifact', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const o = isolated(dir);
  const runId = valid(await executeSkill({ action: 'init', project: 'p', runConfig: { config: { lr: 0.1 } } }, o)).runId as string;
  const out = valid(await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { acc: 0.6, cm: CM, roc: ROC } } }, o));
  assert.equal(out.status, 'success', JSON.stringify(out));
  assert.deepEqual(
    out.media?.map((m) => [m.key, m.kind]),
    [
      ['cm_table', 'table'],
      ['roc_table', 'table'],
    ],
  );
  const fin = valid(await executeSkill({ action: 'finish', project: 'p', runId }, o));
  const summary = fin.summary ?? {};
  assert.equal((summary['cm_table'] as { _type: string })._type, 'table-file');
  assert.equal((summary['roc_table'] as { nrows: number }).nrows, 10);
  assert.ok(!('cm' in summary) && !('roc' in summary), 'the chart keys themselves are not logged');

  const config = storedConfig(dir, runId);
  assert.equal(config['lr'], 0.1);
  const visualize = (config['_wandb'] as { visualize: Record<string, VisualizeEntry> }).visualize;
  assert.deepEqual(Object.keys(visualize).sort(), ['cm', 'roc']);
  assert.equal(visualize['cm']?.panel_config.panelDefId, 'wandb/confusion_matrix/v1');
  assert.equal(visualize['roc']?.panel_config.panelDefId, 'wandb/area-under-curve/v0');

  // A second log adds to _wandb.visualize without losing the first charts.
  valid(await executeSkill({ action: 'init', project: 'p', runId, runConfig: { resume: 'allow' } }, o));
  const next = valid(await executeSkill({ action: 'log', project: 'p', runId, logData: { metrics: { pr: { ...ROC, preset: 'pr_curve' } } } }, o));
  assert.equal(next.status, 'success', JSON.stringify(next));
  assert.deepEqual(Object.keys((storedConfig(dir, runId)['_wandb'] as { visualize: object }).visualize).sort(), ['cm', 'pr', 'roc']);

  for (const key of ['cm_table', 'roc_table', 'pr_table']) {
    const a = valid(await executeSkill({ action: 'artifact', operation: 'lineage', project: 'p', artifactConfig: { name: `run-${runId}-${key}:latest` } }, o));
    assert.equal(a.artifact?.type, 'run_table', `${key}: ${JSON.stringify(a)}`);
  }
});

test('log: a bad chart is refused naming the field, and nothing is logged', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const o = isolated(dir);
  const runId = await initRun(dir);
  const out = valid(
    await executeSkill(
      {
        action: 'log',
        project: 'p',
        runId,
        logData: { metrics: { acc: 1, cm: { ...CM, preds: [0, 1, 1, 1, 5] } } },
      },
      o,
    ),
  );
  assert.equal(out.error?.code, 'INVALID_INPUT');
  assert.deepEqual(
    out.error?.details?.issues?.map((i) => i.path),
    ['logData.metrics.cm.preds[4]'],
  );
  const fin = valid(await executeSkill({ action: 'finish', project: 'p', runId }, o));
  assert.equal(fin.historyLength, 0);
  assert.equal((storedConfig(dir, runId)['_wandb'] as { visualize?: unknown } | undefined)?.visualize, undefined);
});

test('a run_table logged offline reaches the server on sync with the step of its row, not the step the run reached later', async (t) => {
  const server = await startWandbServer();
  t.after(() => server.close());
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const offline = isolated(dir, { WANDB_MODE: 'offline' });
  const runId = valid(await executeSkill({ action: 'init', project: 'p' }, offline)).runId as string;
  const log = async (logData: Record<string, unknown>) => valid(await executeSkill({ action: 'log', project: 'p', runId, logData }, offline));
  for (let i = 0; i < 3; i++) await log({ metrics: { loss: i } });
  assert.equal((await log({ metrics: { preds: { _type: 'table', columns: ['a'], data: [[1]] } } })).step, 3);
  for (let i = 0; i < 4; i++) await log({ metrics: { loss: i } });
  assert.equal((await log({ metrics: { late: { _type: 'table', columns: ['b'], data: [[2]] } }, step: 10, commit: true })).step, 10);
  await log({ metrics: { loss: 9 } });
  const sync = await runCli(['sync'], {
    cwd: dir,
    env: { WANDB_API_KEY: server.apiKey, WANDB_BASE_URL: server.url, WANDB_MODE: 'online', PATH: process.env['PATH'] ?? '' },
  });
  assert.equal(sync.code, 0, sync.stderr + sync.stdout);
  const steps = Object.fromEntries([...server.state.artifacts.values()].filter((a) => a.runName === runId).map((a) => [a.collection, a.historyStep]));
  assert.deepEqual(steps, { [runTableArtifactName(runId, 'preds')]: 3, [runTableArtifactName(runId, 'late')]: 10 });
  assert.deepEqual(server.invalidDocuments, []);
});
