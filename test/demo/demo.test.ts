import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { repoRoot, tempDir } from '../helpers/tmp.js';

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile());
}

test('npm start: runs, model artifact linked as production, media, a fired alert and the reports, offline', (t) => {
  const { dir, cleanup } = tempDir('wandb-demo-');
  t.after(cleanup);
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', HOME: dir, WANDB_MODE: 'offline' };
  const r = spawnSync(process.execPath, [join(repoRoot, 'dist', 'src', 'demo', 'main.js')], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, `demo failed:\n${r.stdout}\n${r.stderr}`);
  const stdout = r.stdout;
  assert.match(stdout, /ALERT WARN "val\/acc below 50%" fired/);
  assert.equal(stdout.match(/ALERT/g)?.length, 1, 'the rule fires once, not every early epoch');
  assert.match(stdout, /linked to model-registry\/spirals-classifier as production/);
  assert.match(stdout, /npx wandb-skill serve/);

  const db = new Database(join(dir, 'wandb', 'skill-store.sqlite'), { readonly: true });
  t.after(() => db.close());
  const runs = db
    .prepare("SELECT key, id, display_name AS name, state, sweep_id AS sweepId FROM runs WHERE project = 'demo-spirals' ORDER BY key")
    .all() as Array<{ key: number; id: string; name: string; state: string; sweepId: string | null }>;
  assert.equal(runs.length, 7, 'the training run and six sweep runs');
  assert.ok(
    runs.every((x) => x.state === 'finished'),
    JSON.stringify(runs),
  );
  const main = runs[0]!;
  assert.equal(main.sweepId, null);
  assert.equal(runs.filter((x) => x.sweepId !== null).length, 6);
  assert.equal((db.prepare('SELECT count(*) AS n FROM history WHERE run_key = ?').get(main.key) as { n: number }).n, 62);

  // The model: one version per run, type model; the best sweep run's version linked as production.
  const versions = db
    .prepare(
      `SELECT v.key, v.version_index AS idx, v.created_by AS run FROM artifact_versions v JOIN artifact_collections c ON c.key = v.collection_key
    WHERE c.name = 'spirals-mlp' AND c.type = 'model'`,
    )
    .all() as Array<{ key: number; idx: number; run: number }>;
  assert.equal(versions.length, 7);
  const link = db
    .prepare(
      `SELECT l.version_key AS version, l.registry_project AS project, l.portfolio FROM artifact_link_aliases a JOIN artifact_links l ON l.key = a.link_key WHERE a.alias = 'production'`,
    )
    .get() as { version: number; project: string; portfolio: string } | undefined;
  assert.ok(link, 'a production alias in the registry');
  assert.equal(link.portfolio, 'spirals-classifier');
  const linkedRun = versions.find((v) => v.key === link.version)?.run;
  const bestLine = /best run (\w+):/.exec(stdout)?.[1];
  assert.equal(runs.find((x) => x.key === linkedRun)?.id, bestLine, "the linked version is the best sweep run's model");

  // Media: the decision boundary PNG and the confusion-matrix table files; the histogram descriptor.
  const media = filesUnder(join(dir, 'wandb', 'runs', 'demo-spirals', main.id, 'files', 'media'));
  const png = media.find((f) => f.endsWith('.png'));
  assert.ok(png, `a PNG in ${JSON.stringify(media)}`);
  assert.deepEqual([...readFileSync(png).subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const table = media.find((f) => f.endsWith('.table.json'));
  assert.ok(table);
  const tableDoc = JSON.parse(readFileSync(table, 'utf8')) as { columns: string[]; data: unknown[][] };
  assert.deepEqual(tableDoc.columns, ['Actual', 'Predicted', 'nPredictions']);
  assert.equal(tableDoc.data.length, 9);
  assert.equal(
    tableDoc.data.reduce((n, row) => n + (row[2] as number), 0),
    180,
    'every validation point counted once',
  );
  const last = JSON.parse((db.prepare('SELECT row FROM history WHERE run_key = ? ORDER BY seq DESC LIMIT 1').get(main.key) as { row: string }).row) as Record<
    string,
    { _type?: string }
  >;
  assert.equal(last['weights/histogram']?._type, 'histogram');
  assert.equal(last['eval/decision_boundary']?._type, 'image-file');

  // The alert fired once, stored with the run.
  const alerts = db.prepare('SELECT title, level, suppressed FROM alerts WHERE run_key = ?').all(main.key) as Array<{
    title: string;
    level: string;
    suppressed: number;
  }>;
  assert.deepEqual(
    alerts.filter((a) => a.suppressed === 0),
    [{ title: 'val/acc below 50%', level: 'WARN', suppressed: 0 }],
  );

  // The reports: files that exist and name the runs.
  const reports = db.prepare("SELECT path, title FROM reports WHERE project = 'demo-spirals'").all() as Array<{ path: string; title: string }>;
  assert.equal(reports.length, 2);
  const runReport = readFileSync(reports.find((x) => x.title.includes('training'))!.path, 'utf8');
  assert.ok(runReport.includes(main.name));
  const sweepReport = readFileSync(reports.find((x) => x.title.includes('sweep'))!.path, 'utf8');
  for (const x of runs.slice(1)) assert.ok(sweepReport.includes(x.name), `sweep report names ${x.name}`);
  for (const rep of reports) assert.ok(stdout.includes(rep.path.slice(dir.length + 1)), `printed ${rep.path}`);
});
