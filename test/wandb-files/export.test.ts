import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir, valid } from '../helpers/tmp.js';
import { createSkillRunner } from '../../src/skill.js';
import { exportWandbRuns, importWandbRuns } from '../../src/index.js';
import { wandb_internal as W } from '../../src/wandb-files/gen/wandb-proto.js';
import { parseExtended } from '../../src/json/extended-json.js';
import type { SkillOutput } from '../../src/contract/types.generated.js';
import { readFramesStrict } from './frame-reader.js';
import { fixtureRunDir, snapshot, storeAt } from './helpers.js';

const image = join(fixtureRunDir, 'files', 'media', 'images', 'sample_9_ff7de3dce912c8da7e68.png');

/** A finished run with nested metrics, NaN/Infinity, an image, a table and a row too big for one block. */
async function makeRuns(dir: string): Promise<string[]> {
  const runner = createSkillRunner({
    cwd: dir,
    env: {},
    now: (() => {
      let t = 1_800_000_000_000;
      return () => (t += 250);
    })(),
  });
  try {
    const init = valid(
      await runner.execute({
        action: 'init',
        project: 'exp',
        runConfig: { name: 'ours', config: { lr: 0.1, opt: { name: 'adam', betas: [0.9, 0.99] } }, tags: ['a', 'b'], notes: 'n', group: 'g', jobType: 'train' },
      }),
    );
    const runId = init.runId as string;
    for (let s = 0; s < 40; s++) {
      const metrics: Record<string, unknown> = { loss: 1 / (s + 1), val: { acc: s / 40 } };
      if (s === 3) metrics['odd'] = NaN;
      if (s === 4) metrics['odd'] = -Infinity;
      if (s === 5) metrics['pic'] = { _type: 'image', path: image, caption: 'five' };
      if (s === 6)
        metrics['tbl'] = {
          _type: 'table',
          columns: ['x', 'y'],
          data: [
            [1, 'a'],
            [2, 'b'],
          ],
        };
      if (s === 7) metrics['blob'] = 'z'.repeat(100_000);
      valid(await runner.execute({ action: 'log', project: 'exp', runId, logData: { metrics } }));
    }
    valid(
      await runner.execute({ action: 'alert', project: 'exp', runId, alertConfig: { title: 'loss low', text: 'below 0.1', level: 'WARN', waitDuration: 5 } }),
    );
    valid(await runner.execute({ action: 'finish', project: 'exp', runId, exitCode: 0 }));
    const other = valid(await runner.execute({ action: 'init', project: 'exp', runConfig: { name: 'failed-one' } }));
    valid(await runner.execute({ action: 'log', project: 'exp', runId: other.runId as string, logData: { metrics: { x: 1 } } }));
    valid(await runner.execute({ action: 'finish', project: 'exp', runId: other.runId as string, exitCode: 3 }));
    return [runId, other.runId as string];
  } finally {
    runner.close();
  }
}

test('export: W&B offline run folders, every chunk CRC-checked by an independent reader, records as W&B sync reads them', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const [runId] = await makeRuns(dir);
    const res = await runCli(['export', runId as string, '--out', 'out'], { cwd: dir });
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const out = valid(JSON.parse(res.stdout) as SkillOutput) as unknown as {
      exported: Array<{ folder: string; file: string; historyRows: number; files: number }>;
    };
    assert.equal(out.exported.length, 1);
    const e = out.exported[0]!;
    assert.match(e.folder, new RegExp(`/out/offline-run-\\d{8}_\\d{6}-${runId}$`));
    assert.equal(e.file, join(e.folder, `run-${runId}.wandb`));
    assert.equal(e.historyRows, 40);
    assert.equal(e.files, 2);
    const frames = readFramesStrict(readFileSync(e.file));
    assert.ok(frames.types.includes(2) && frames.types.includes(4), 'the 100 kB row spans blocks (first ... last chunks)');
    const records = frames.payloads.map((p) => W.Record.decode(p));
    assert.deepEqual(
      records.map((r) => Number(r.num)),
      records.map((_r, i) => i + 1),
      'num counts up from 1',
    );
    assert.equal(records[0]?.record_type, 'run', 'the run record comes first');
    const run = records[0]!.run!;
    assert.deepEqual(
      { id: run.run_id, project: run.project, name: run.display_name, tags: run.tags, notes: run.notes, group: run.run_group, job: run.job_type },
      { id: runId, project: 'exp', name: 'ours', tags: ['a', 'b'], notes: 'n', group: 'g', job: 'train' },
    );
    const config = Object.fromEntries(run.config!.update!.map((i) => [i.key, parseExtended(i.value_json!)]));
    assert.deepEqual(config, { _wandb: {}, lr: 0.1, opt: { name: 'adam', betas: [0.9, 0.99] } }, 'config values unwrapped, as the official client writes them');
    const history = records.filter((r) => r.record_type === 'history');
    assert.equal(history.length, 40);
    const store = storeAt(dir);
    try {
      const rows = store.history.rows(store.runs.get('exp', runId as string)!.key);
      history.forEach((h, i) => {
        assert.equal(Number(h.history!.step!.num), i);
        const row = Object.fromEntries(h.history!.item!.map((it) => [it.key, parseExtended(it.value_json!)]));
        assert.deepEqual(row, rows[i], `history row ${i}`);
      });
    } finally {
      store.close();
    }
    const kinds = records.map((r) => r.record_type);
    assert.deepEqual(kinds.slice(-4), ['alert', 'summary', 'files', 'exit']);
    assert.deepEqual(
      { ...records.at(-4)!.alert, wait_duration: Number(records.at(-4)!.alert!.wait_duration) },
      { title: 'loss low', text: 'below 0.1', level: 'WARN', wait_duration: 5000 },
      'wait_duration in ms',
    );
    assert.equal(records.at(-1)?.exit?.exit_code ?? 0, 0);
    const files = records
      .at(-2)!
      .files!.files!.map((f) => f.path)
      .sort();
    assert.equal(files.length, 2);
    for (const f of files) assert.ok(existsSync(join(e.folder, 'files', f as string)), `${f} copied into files/`);
    assert.ok(existsSync(join(e.folder, 'files', 'config.yaml')));
    const summaryFile = parseExtended(readFileSync(join(e.folder, 'files', 'wandb-summary.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(summaryFile['loss'], 1 / 40);
    assert.equal(summaryFile['odd'], -Infinity);
  } finally {
    cleanup();
  }
});

test('round trip: runs exported and imported into a fresh store equal the originals field by field', async () => {
  const { dir, cleanup } = tempDir();
  const fresh = tempDir();
  try {
    const ids = await makeRuns(dir);
    const exported = await exportWandbRuns({ cwd: dir, env: {}, out: join(dir, 'out') });
    assert.equal(exported.exported.length, 2);
    const imported = await importWandbRuns([join(dir, 'out')], { cwd: fresh.dir, env: {} });
    assert.deepEqual(
      imported.imported.map((r) => r.status),
      ['imported', 'imported'],
      JSON.stringify(imported),
    );
    const a = storeAt(dir);
    const b = storeAt(fresh.dir);
    try {
      for (const id of ids) {
        const mine = a.runs.get('exp', id)!;
        const theirs = b.runs.get('exp', id)!;
        assert.deepEqual(snapshot(b, theirs), snapshot(a, mine), `run ${id}`);
      }
      assert.equal((snapshot(b, b.runs.get('exp', ids[0]!)!)['alerts'] as unknown[]).length, 1, 'the alert came back');
      assert.equal(b.runs.get('exp', ids[1]!)!.state, 'failed');
      assert.equal(b.runs.get('exp', ids[1]!)!.exitCode, 3);
    } finally {
      a.close();
      b.close();
    }
  } finally {
    cleanup();
    fresh.cleanup();
  }
});

test('round trip: the official client run imported, exported and re-imported equals the first import', async () => {
  const first = tempDir();
  const second = tempDir();
  try {
    await importWandbRuns([fixtureRunDir], { cwd: first.dir, env: {} });
    await exportWandbRuns({ cwd: first.dir, env: {}, out: join(first.dir, 'out') });
    const again = await importWandbRuns([join(first.dir, 'out')], { cwd: second.dir, env: {} });
    assert.equal(again.imported[0]?.status, 'imported');
    const a = storeAt(first.dir);
    const b = storeAt(second.dir);
    try {
      assert.deepEqual(snapshot(b, b.runs.get('py-offline', '6x46wzrv')!), snapshot(a, a.runs.get('py-offline', '6x46wzrv')!));
    } finally {
      a.close();
      b.close();
    }
  } finally {
    first.cleanup();
    second.cleanup();
  }
});

test("the config's _wandb entry (chart panels) goes out as our own sync sends it and comes back", async () => {
  const { dir, cleanup } = tempDir();
  const fresh = tempDir();
  try {
    const [runId] = await makeRuns(dir);
    const panel = { panel_type: 'Vega2', panel_config: { userQuery: { queryFields: [] } } };
    const store = storeAt(dir);
    const run = store.runs.get('exp', runId as string)!;
    store.runs.saveMeta(run.key, {
      ...run,
      config: { ...run.config, _wandb: { visualize: { roc: { ...panel, spec: { mark: 'line' } } } } },
      now: run.updatedAt,
    });
    store.close();
    const out = await exportWandbRuns({ cwd: dir, env: {}, runIds: [runId as string], out: join(dir, 'out') });
    const first = W.Record.decode(readFramesStrict(readFileSync(out.exported[0]!.file)).payloads[0]!);
    const wandbItem = first.run!.config!.update!.find((i) => i.key === '_wandb');
    assert.deepEqual(JSON.parse(wandbItem!.value_json!), { visualize: { roc: panel } }, 'the panel without our spec');
    await importWandbRuns([join(dir, 'out')], { cwd: fresh.dir, env: {} });
    const b = storeAt(fresh.dir);
    assert.deepEqual(b.runs.get('exp', runId as string)!.config['_wandb'], { visualize: { roc: panel } });
    assert.equal(b.runs.get('exp', runId as string)!.config['lr'], 0.1);
    b.close();
  } finally {
    cleanup();
    fresh.cleanup();
  }
});
