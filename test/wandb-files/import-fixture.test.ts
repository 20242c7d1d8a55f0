import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir, valid } from '../helpers/tmp.js';
import { importWandbRuns } from '../../src/wandb-files/import.js';
import type { SkillOutput } from '../../src/contract/types.generated.js';
import { fixtureFile, fixtureRunDir, fixturesDir, sha256, snapshot, storeAt } from './helpers.js';

const close = (a: unknown, b: number, what: string): void => {
  assert.equal(typeof a, 'number', what);
  assert.ok(Math.abs((a as number) - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${String(a)} vs ${b}`);
};

test('import of the official client offline run: every value make_offline_run.py logged (seed 0, 30 steps)', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const res = await runCli(['import', fixturesDir], { cwd: dir });
    assert.equal(res.code, 0, res.stdout + res.stderr);
    const out = valid(JSON.parse(res.stdout) as SkillOutput) as unknown as { imported: Array<Record<string, unknown>> };
    assert.equal(out.imported.length, 1);
    assert.deepEqual(
      { ...out.imported[0], path: undefined },
      { path: undefined, status: 'imported', runId: '6x46wzrv', project: 'py-offline', historyRows: 30, files: 5 },
    );
    const store = storeAt(dir);
    try {
      const run = store.runs.get('py-offline', '6x46wzrv');
      assert.ok(run);
      assert.equal(run.entity, 'team-e');
      assert.equal(run.displayName, 'py-run-0');
      assert.deepEqual(run.tags, ['python', 'fixture']);
      assert.equal(run.notes, 'made by the official wandb SDK');
      assert.equal(run.group, 'g-py');
      assert.equal(run.jobType, 'train');
      assert.deepEqual(run.config, { lr: 0.01, model: { depth: 4, act: 'gelu' }, aug: ['flip', 'crop'] });
      assert.equal(run.state, 'finished');
      assert.equal(run.exitCode, 0);
      assert.equal(run.historyCount, 30);
      assert.equal(run.step, 30);
      const rows = store.history.rows(run.key);
      const filesDir = join(dir, 'wandb', 'runs', 'py-offline', '6x46wzrv', 'files');
      rows.forEach((row, s) => {
        assert.equal(row['_step'], s);
        const loss = row['train/loss'] as number;
        assert.ok(loss >= Math.exp(-s / 10) && loss <= Math.exp(-s / 10) + 0.01, `train/loss at ${s}`);
        close((row['val'] as Record<string, unknown>)['acc'], 1 - Math.exp(-s / 12), `val.acc at ${s}`);
        close(row['lr'], 0.01 * 0.95 ** s, `lr at ${s}`);
        assert.equal(typeof row['_timestamp'], 'number');
        assert.equal(typeof row['_runtime'], 'number');
        if (s === 7) assert.ok(Number.isNaN(row['weird']));
        else if (s === 8) assert.equal(row['weird'], Infinity);
        else assert.equal('weird' in row, false, `weird only at steps 7 and 8 (step ${s})`);
        if (s % 10 === 9) {
          const img = row['sample'] as Record<string, unknown>;
          assert.equal(img['_type'], 'image-file');
          assert.equal(img['caption'], `step ${s}`);
          assert.equal(img['width'], 8);
          assert.equal(img['height'], 8);
          assert.equal(img['format'], 'png');
          assert.equal(sha256(join(filesDir, img['path'] as string)), img['sha256'], 'the image file is copied intact');
        } else assert.equal('sample' in row, false);
        if (s === 29) {
          const table = row['preds'] as Record<string, unknown>;
          assert.equal(table['_type'], 'table-file');
          assert.equal(table['nrows'], 5);
          assert.equal(table['ncols'], 3);
          const body = JSON.parse(readFileSync(join(filesDir, table['path'] as string), 'utf8')) as { columns: string[]; data: unknown[][] };
          assert.deepEqual(body.columns, ['id', 'pred', 'truth']);
          assert.deepEqual(
            body.data.map((r) => r[0]),
            [0, 1, 2, 3, 4],
          );
          for (const r of body.data) for (const v of r.slice(1)) assert.ok([0, 1, 2].includes(v as number));
        } else assert.equal('preds' in row, false);
      });
      const summary = snapshot(store, run)['summary'] as Record<string, unknown>;
      assert.equal(summary['best_acc'], 0.97, 'the summary override');
      assert.equal(summary['train/loss'], rows[29]?.['train/loss']);
      assert.deepEqual(summary['val'], rows[29]?.['val']);
      assert.equal(summary['_step'], 29);
      assert.deepEqual(summary['sample'], rows[29]?.['sample']);
      assert.equal(summary['weird'], Infinity, 'the last logged value of weird');
      assert.equal(run.createdAt, 1796593532.739498, 'the run record start time');
      const files = store.wandbFiles.runFiles(run.key).map((f) => f.name);
      assert.deepEqual(files.sort(), [
        'media/images/sample_19_c436e96311917b1e2eec.png',
        'media/images/sample_29_432a6bb7bc4af609498b.png',
        'media/images/sample_9_ff7de3dce912c8da7e68.png',
        'media/table/preds_29_6796de411143dfe7606c.table.json',
        'requirements.txt',
      ]);
    } finally {
      store.close();
    }
  } finally {
    cleanup();
  }
});

test('importing the same file twice changes nothing; other content under the same id is CONFLICT unless replaced', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const first = await importWandbRuns([fixtureRunDir], { cwd: dir, env: {} });
    assert.equal(first.imported[0]?.status, 'imported');
    let store = storeAt(dir);
    const before = snapshot(store, store.runs.get('py-offline', '6x46wzrv')!);
    store.close();
    const again = await importWandbRuns([fixtureFile], { cwd: dir, env: {} });
    assert.equal(again.imported[0]?.status, 'unchanged');
    store = storeAt(dir);
    const run = store.runs.get('py-offline', '6x46wzrv')!;
    assert.deepEqual(snapshot(store, run), before);
    // Other content: the stored run gets a different name.
    store.runs.saveMeta(run.key, { ...run, displayName: 'renamed', now: run.updatedAt });
    store.close();
    const res = await runCli(['import', fixtureFile], { cwd: dir });
    assert.equal(res.code, 1);
    const out = valid(JSON.parse(res.stdout) as SkillOutput);
    assert.equal(out.error?.code, 'CONFLICT');
    store = storeAt(dir);
    assert.equal(store.runs.get('py-offline', '6x46wzrv')?.displayName, 'renamed', 'a conflict writes nothing');
    store.close();
    const replaced = await runCli(['import', '--replace', fixtureFile], { cwd: dir });
    assert.equal(replaced.code, 0, replaced.stdout);
    assert.equal((JSON.parse(replaced.stdout) as { imported: Array<{ status: string }> }).imported[0]?.status, 'replaced');
    store = storeAt(dir);
    assert.deepEqual(snapshot(store, store.runs.get('py-offline', '6x46wzrv')!), before);
    store.close();
  } finally {
    cleanup();
  }
});

test('import and export usage errors are exit 2 with a JSON error document', async () => {
  const { dir, cleanup } = tempDir();
  try {
    for (const args of [['import'], ['import', '--bogus', 'x'], ['export', '--out'], ['export', '--nope']]) {
      const res = await runCli(args, { cwd: dir });
      assert.equal(res.code, 2, args.join(' '));
      const out = valid(JSON.parse(res.stdout) as SkillOutput);
      assert.equal(out.status, 'error');
      assert.equal(out.error?.code, 'INVALID_INPUT');
      assert.equal(out.action, args[0]);
    }
  } finally {
    cleanup();
  }
});
