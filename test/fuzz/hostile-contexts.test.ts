// A seeded fuzz of hostile contexts, in-process and through the CLI: every output validates against
// the output schema, none is INTERNAL, and a call that answers an error leaves every table of the
// store (and every file around it) as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { executeSkill } from '../../src/index.js';
import { outputIssues } from '../../src/contract/validate.js';
import type { SkillOutput } from '../../src/contract/types.generated.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { createRandom, mutate, type Fixture } from './mutations.js';
import { createStoreWatcher, listFiles, type StoreWatcher } from './store-watch.js';

const SEED = 0x5eed11;
const IN_PROCESS = 520;
const THROUGH_CLI = 56;
/** No call may hang: one that has not answered by then is a failure (a FIFO, /dev/zero, /proc loops). */
const CALL_TIMEOUT_MS = 30_000;

/** JSON text of a context; one nested past what JSON.stringify can recurse through becomes a deep text of the same shape. */
function toText(context: unknown): string {
  try {
    return JSON.stringify(context);
  } catch {
    return `{"action":"log","project":"p","logData":{"metrics":{"a":${'['.repeat(10_000)}1${']'.repeat(10_000)}}}}`;
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Valid contexts for every action (and most operations), against the fixture's run, sweep and artifact. */
function bases(f: Fixture): Array<Record<string, unknown>> {
  return [
    { action: 'init', project: 'p', runConfig: { name: 'n', config: { lr: 0.1, arch: { depth: 3 } }, tags: ['a'] } },
    { action: 'log', project: 'p', runId: f.runId, logData: { metrics: { loss: 0.5, val: { acc: 0.9 } } } },
    { action: 'log', project: 'p', runId: f.runId, logData: { metrics: { loss: 0.4 }, step: 7, commit: false } },
    { action: 'log', project: 'p', runId: f.runId, logData: { metrics: { t: { _type: 'table', columns: ['a'], data: [[1]] } } } },
    { action: 'finish', project: 'p', runId: f.runId, exitCode: 0 },
    {
      action: 'sweep',
      project: 'p',
      sweepConfig: { method: 'random', metric: { name: 'loss', goal: 'minimize' }, parameters: { lr: { min: 0.001, max: 0.1 } }, run_cap: 3 },
    },
    { action: 'sweep', project: 'p', operation: 'next', sweepId: f.sweepId },
    { action: 'sweep', project: 'p', operation: 'status', sweepId: f.sweepId },
    { action: 'artifact', project: 'p', runId: f.runId, artifactConfig: { name: 'data', type: 'dataset', path: 'payload' } },
    { action: 'artifact', project: 'p', operation: 'use', runId: f.runId, artifactConfig: { name: 'data:latest' } },
    { action: 'artifact', project: 'p', operation: 'download', artifactConfig: { name: 'data:latest', downloadPath: 'out/dl' } },
    { action: 'artifact', project: 'p', operation: 'link', artifactConfig: { name: 'data:latest', registry: 'model-registry/reg', aliases: ['production'] } },
    { action: 'artifact', project: 'p', operation: 'lineage', artifactConfig: { name: 'data:latest' } },
    { action: 'alert', project: 'p', runId: f.runId, alertConfig: { title: 't', text: 'x', level: 'WARN', rule: { metric: 'loss', op: 'nan' } } },
    { action: 'report', project: 'p', reportConfig: { title: 'r', format: 'json', outputPath: 'out/report.json' } },
    { action: 'report', project: 'p', reportConfig: { format: 'markdown', runIds: [f.runId], metrics: ['loss'] } },
  ];
}

/** Collects what went wrong, so one run names every failing case (each rerunnable: the seed is fixed). */
function createFailures() {
  const list: string[] = [];
  return {
    list,
    expect(ok: boolean, message: () => string): void {
      if (!ok) list.push(message());
    },
    assertNone(): void {
      assert.equal(list.length, 0, `${list.length} failures:\n${list.slice(0, 25).join('\n')}`);
    },
  };
}
type Failures = ReturnType<typeof createFailures>;

function check(out: SkillOutput, label: string, failures: Failures): void {
  const issues = outputIssues(out);
  failures.expect(
    issues.length === 0,
    () => `${label}: output does not match the schema (${JSON.stringify(issues).slice(0, 300)}): ${JSON.stringify(out).slice(0, 300)}`,
  );
  failures.expect(out.error?.code !== 'INTERNAL', () => `${label}: INTERNAL: ${out.error?.message.slice(0, 300)}`);
  failures.expect(({} as Record<string, unknown>)['polluted'] === undefined, () => `${label}: Object.prototype was polluted`);
}

function watch(path: string): StoreWatcher {
  const w = createStoreWatcher(path);
  return {
    mark: () => w.mark(),
    unchanged(): boolean {
      try {
        return w.unchanged();
      } catch {
        return false; // the store cannot be read any more: it was damaged
      }
    },
    close: () => w.close(),
  };
}

async function makeFixture(dir: string, env: Record<string, string>, call: (c: unknown) => Promise<SkillOutput>): Promise<Fixture> {
  mkdirSync(join(dir, 'payload'), { recursive: true });
  writeFileSync(join(dir, 'payload', 'a.txt'), 'alpha');
  writeFileSync(join(dir, 'notes.txt'), 'my own notes, not a report');
  const init = await call({ action: 'init', project: 'p', mode: 'offline', runConfig: { name: 'base' } });
  assert.equal(init.status, 'success', JSON.stringify(init));
  const runId = init.runId as string;
  await call({ action: 'log', project: 'p', mode: 'offline', runId, logData: { metrics: { loss: 1 } } });
  const sweep = await call({ action: 'sweep', project: 'p', mode: 'offline', sweepConfig: { method: 'grid', parameters: { a: { values: [1, 2, 3] } } } });
  assert.equal(sweep.status, 'success', JSON.stringify(sweep));
  const art = await call({ action: 'artifact', project: 'p', mode: 'offline', runId, artifactConfig: { name: 'data', type: 'dataset', path: 'payload' } });
  assert.equal(art.status, 'success', JSON.stringify(art));
  return { dir, env, runId, sweepId: sweep.sweepId as string, storePath: join(dir, 'wandb', 'skill-store.sqlite') };
}

test(`${IN_PROCESS} seeded hostile contexts through executeSkill: valid outputs, never INTERNAL, a rejection changes nothing`, async (t) => {
  const { dir, cleanup } = tempDir('wandb-fuzz-');
  t.after(cleanup);
  const env = { WANDB_DIR: dir, WANDB_MODE: 'offline' };
  const call = (c: unknown) => executeSkill(c, { env, cwd: dir });
  const random = createRandom(SEED);
  let f = await makeFixture(dir, env, call);
  const store = watch(f.storePath);
  t.after(() => store.close());
  const codes = new Map<string, number>();
  const failures = createFailures();
  for (let i = 0; i < IN_PROCESS; i++) {
    // A fresh live run now and then, so mutations of log/finish keep reaching a running run.
    if (i % 20 === 0) {
      const init = await call({ action: 'init', project: 'p', runConfig: { name: `r${i}` } });
      f = { ...f, runId: init.runId as string };
    }
    const list = bases(f);
    const base = list[random.int(list.length)] as Record<string, unknown>;
    const { context, label } = mutate(base, random, f);
    store.mark();
    if (process.env['FUZZ_TRACE'] === '1') process.stderr.write(`#${i} ${label}\n`);
    const beforeFiles = listFiles(dir);
    const out = await withTimeout(call(context), CALL_TIMEOUT_MS);
    if (out === undefined) {
      failures.expect(false, () => `#${i} ${label}: no answer within ${CALL_TIMEOUT_MS} ms`);
      break; // the call still runs and may hold the store: stop here
    }
    check(out, `#${i} ${label}`, failures);
    const key = out.status === 'success' ? 'success' : (out.error?.code ?? '?');
    codes.set(key, (codes.get(key) ?? 0) + 1);
    if (out.status === 'error') {
      failures.expect(store.unchanged(), () => `#${i} ${label}: the store changed after ${out.error?.code}: ${out.error?.message.slice(0, 200)}`);
      const afterFiles = listFiles(dir);
      failures.expect(
        JSON.stringify(afterFiles) === JSON.stringify(beforeFiles),
        () => `#${i} ${label}: files changed after ${out.error?.code}: ${afterFiles.filter((x) => !beforeFiles.includes(x)).join(', ')}`,
      );
    }
  }
  t.diagnostic(`outcomes: ${JSON.stringify(Object.fromEntries(codes))}`);
  failures.assertNone();
  assert.ok((codes.get('INVALID_INPUT') ?? 0) > IN_PROCESS / 4, 'most mutations are refused as invalid input');
  assert.ok((codes.get('success') ?? 0) > 10, 'some mutations stay valid and succeed');
});

test(`${THROUGH_CLI} seeded hostile contexts through the CLI: one JSON document, no stack trace, a rejection changes nothing`, async (t) => {
  const { dir, cleanup } = tempDir('wandb-fuzz-cli-');
  t.after(cleanup);
  const env = { WANDB_DIR: dir, WANDB_MODE: 'offline' };
  const call = (c: unknown) => executeSkill(c, { env, cwd: dir });
  const random = createRandom(SEED ^ 0xc11);
  const f = await makeFixture(dir, env, call);
  const store = watch(f.storePath);
  t.after(() => store.close());
  const failures = createFailures();
  for (let i = 0; i < THROUGH_CLI; i++) {
    const list = bases(f);
    const base = list[random.int(list.length)] as Record<string, unknown>;
    const { context, label, text } = mutate(base, random, f);
    store.mark();
    // Half as an argument, half on standard input (an orchestrator's pipe).
    const viaStdin = random.int(2) === 0 || (text ?? '').length > 100_000;
    const json = text ?? toText(context);
    const r = await runCli(viaStdin ? [] : [json], { cwd: dir, env, timeoutMs: CALL_TIMEOUT_MS, ...(viaStdin ? { stdin: json } : {}) });
    if (r.code === null) {
      failures.expect(false, () => `cli #${i} ${label}: no answer within ${CALL_TIMEOUT_MS} ms (killed)`);
      continue;
    }
    const lines = r.stdout.trim().split('\n');
    let out: SkillOutput | undefined;
    try {
      out = lines.length === 1 ? (JSON.parse(lines[0] as string) as SkillOutput) : undefined;
    } catch {
      out = undefined;
    }
    failures.expect(
      out !== undefined,
      () => `cli #${i} ${label}: not exactly one JSON document on stdout: ${r.stdout.slice(0, 300)} / stderr ${r.stderr.slice(0, 300)}`,
    );
    failures.expect(!/^\s+at .+:\d+:\d+\)?$/m.test(r.stderr), () => `cli #${i} ${label}: a stack trace reached stderr: ${r.stderr.slice(0, 300)}`);
    if (out === undefined) continue;
    check(out, `cli #${i} ${label}`, failures);
    failures.expect(out.status === 'success' ? r.code === 0 : r.code === 1 || r.code === 2, () => `cli #${i} ${label}: exit code ${r.code} for ${out?.status}`);
    if (out.status === 'error') failures.expect(store.unchanged(), () => `cli #${i} ${label}: the store changed after ${out?.error?.code}`);
  }
  failures.assertNone();
});
