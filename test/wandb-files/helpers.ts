import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type RunRecord, type Store } from '../../src/store/index.js';
import { readSummary } from '../../src/runs/lifecycle.js';
import { repoRoot, valid } from '../helpers/tmp.js';
import { createSkillRunner } from '../../src/skill.js';

/**
 * The official client's offline run, copied from ../shared/wandb/fixtures/ (its make_offline_run.py
 * says what was logged) so the tests run in any clone, with or without shared/ beside it.
 */
export const fixturesDir = join(repoRoot, 'test', 'fixtures', 'wandb');
export const fixtureRunDir = join(fixturesDir, readdirSync(fixturesDir).find((n) => n.startsWith('offline-run-')) ?? 'missing');
export const fixtureFile = join(fixtureRunDir, 'run-6x46wzrv.wandb');

export function storeAt(dir: string): Store {
  return openStore({ path: join(dir, 'wandb', 'skill-store.sqlite') });
}

export function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Everything a run holds that an export carries, for field-by-field comparison. */
export function snapshot(store: Store, run: RunRecord): Record<string, unknown> {
  const files = store.wandbFiles.runFiles(run.key).map((f) => ({ name: f.name, sha256: sha256(f.path) }));
  return {
    id: run.id,
    project: run.project,
    entity: run.entity,
    displayName: run.displayName,
    state: run.state,
    exitCode: run.exitCode,
    config: run.config,
    tags: run.tags,
    notes: run.notes,
    group: run.group,
    jobType: run.jobType,
    host: run.host,
    createdAt: run.createdAt,
    step: run.step,
    historyCount: run.historyCount,
    history: store.history.lines(run.key, 0, 1e9).map((l) => ({ step: l.step, line: l.line })),
    summary: readSummary(store, run).value,
    files,
    alerts: store.alerts
      .forRun(run.key)
      .filter((a) => !a.suppressed)
      .map((a) => ({ title: a.title, text: a.text, level: a.level, waitDuration: a.waitDuration })),
  };
}

export const T0 = 1_800_000_000_000;

/** A run finished, resumed and failed with code 2, resumed again and finished: three segments (5, 4 and 3 rows). */
export async function makeResumedRun(dir: string, start = T0, id = 'resumed1'): Promise<void> {
  let t = start;
  const runner = createSkillRunner({ cwd: dir, env: {}, now: () => (t += 250) });
  try {
    const parts: Array<[number, number]> = [
      [5, 0],
      [4, 2],
      [3, 0],
    ];
    for (const [i, [rows, code]] of parts.entries()) {
      const rc = i === 0 ? { id, name: 'three', config: { lr: 0.1 }, tags: ['x'] } : { id, resume: 'allow' as const, config: { phase: i } };
      valid(await runner.execute({ action: 'init', project: 'exp', runConfig: rc }));
      for (let s = 0; s < rows; s++) {
        valid(await runner.execute({ action: 'log', project: 'exp', runId: id, logData: { metrics: { loss: 1 / (s + 1 + i * 10), val: { acc: s / 10 } } } }));
      }
      if (i === 1)
        valid(await runner.execute({ action: 'alert', project: 'exp', runId: id, alertConfig: { title: 'second', text: 'in segment 2', level: 'INFO' } }));
      valid(await runner.execute({ action: 'finish', project: 'exp', runId: id, exitCode: code }));
      t += 60_000;
    }
  } finally {
    runner.close();
  }
}
