import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { executeSkill, createSkillRunner, SkillError, toErrorPayload } from '../../src/index.js';
import { MAX_DISCOVERED_CHARTS } from '../../src/report/model.js';
import * as errors from '../../src/errors.js';
import type { SkillOutput } from '../../src/contract/types.generated.js';
import { tempDir, isolated, valid } from '../helpers/tmp.js';

const bytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v));
const MAX_ERROR_DOCUMENT_BYTES = 16 * 1024;

test('a 50 MB key gives an error document under 16 KiB that still names the field', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const key = 'k'.repeat(50 * 1024 * 1024);
  const out = await executeSkill({ action: 'log', project: 'p', logData: { metrics: { [key]: 1, ok: 2 } } }, isolated(dir));
  valid(out);
  assert.equal(out.error?.code, 'INVALID_INPUT');
  assert.ok(bytes(out) < MAX_ERROR_DOCUMENT_BYTES, `error document is ${bytes(out)} bytes`);
  const issue = out.error?.details?.issues?.find((i) => i.path.startsWith('logData.metrics.kkk'));
  assert.ok(issue, JSON.stringify(out.error).slice(0, 2000));
  assert.match(issue.path, /… \(\d+ more characters\)$/);
  assert.match(out.error?.message ?? '', /more characters/);
});

test('an error with thousands of issues keeps 20 and says how many were left out', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const context: Record<string, unknown> = { action: 'init', project: 'p' };
  for (let i = 0; i < 5000; i++) context[`unknown_${i}_${'x'.repeat(300)}`] = i;
  const out = valid(await executeSkill(context, isolated(dir)));
  assert.equal(out.error?.code, 'INVALID_INPUT');
  assert.ok(bytes(out) < MAX_ERROR_DOCUMENT_BYTES, `error document is ${bytes(out)} bytes`);
  const shown = out.error?.details?.issues?.length ?? 0;
  assert.ok(shown > 0 && shown <= 20, String(shown));
  assert.equal((out.error?.details as { issuesOmitted?: number }).issuesOmitted, 5000 - shown);
});

test('toErrorPayload bounds every details value and multi-byte text, and says what it left out', () => {
  const huge = new SkillError('CONFLICT', `${'é'.repeat(100_000)}`, {
    details: {
      blob: '\u0000'.repeat(1_000_000),
      list: Array.from({ length: 100_000 }, (_, i) => ({ i, s: 'x'.repeat(1000) })),
      nested: { a: { b: { c: { d: { e: 'deep' } } } } },
      big: 10n,
      issues: Array.from({ length: 500 }, (_, i) => ({ path: `p${i}.${'\u2603'.repeat(1000)}`, message: '\u0001'.repeat(1000) })),
    },
  });
  const payload = toErrorPayload(huge);
  const doc: SkillOutput = { status: 'error', action: 'finish', error: payload };
  valid(doc);
  assert.ok(bytes(doc) < MAX_ERROR_DOCUMENT_BYTES, `${bytes(doc)} bytes`);
  const d = payload.details as Record<string, unknown>;
  assert.ok(typeof d['issuesOmitted'] === 'number' && (d['issuesOmitted'] as number) >= 480);
  assert.equal(d['big'], '10');
  // Text that JSON escapes (6 bytes a character) everywhere: still under the limit beside 3 KiB of warnings.
  const escaped = toErrorPayload(
    new SkillError('INVALID_INPUT', '\u0002'.repeat(50_000), {
      details: { issues: Array.from({ length: 50 }, () => ({ path: '\u0003'.repeat(5000), message: '\u0004'.repeat(5000) })) },
    }),
  );
  const withWarnings = valid({ status: 'error', action: 'log', error: escaped, warnings: errors.capWarnings(['\u0005'.repeat(100_000)], 300, 3 * 1024) });
  assert.ok(bytes(withWarnings) < MAX_ERROR_DOCUMENT_BYTES, `${bytes(withWarnings)} bytes`);
  assert.ok((escaped.details?.issues?.length ?? 0) >= 1);
  // An Error that is not ours is INTERNAL with its message cut the same way.
  const internal = toErrorPayload(new Error('y'.repeat(5_000_000)));
  assert.equal(internal.code, 'INTERNAL');
  assert.ok(bytes(internal) < 2048);
});

test('warnings are bounded: each cut, the list ending with how many were left out', () => {
  const w = errors.capWarnings(
    Array.from({ length: 1000 }, (_, i) => `warning ${i} ${'w'.repeat(10_000)}`),
    300,
    3 * 1024,
  );
  assert.ok(bytes(w) <= 3 * 1024, String(bytes(w)));
  assert.match(w[0] ?? '', /^warning 0 w+… \(\d+ more characters\)$/);
  assert.match(w[w.length - 1] ?? '', /^\d+ more warning\(s\) left out$/);
});

test('finish after 200,000 keys shows 200 of them, the total, and how to read them all', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const runner = createSkillRunner(isolated(dir));
  t.after(() => runner.close());
  const init = valid(await runner.execute({ action: 'init', project: 'p' }));
  const runId = init.runId as string;
  const metrics: Record<string, number> = {};
  for (let i = 0; i < 200_000; i++) metrics[`m${i}`] = i;
  const log = valid(await runner.execute({ action: 'log', project: 'p', runId, logData: { metrics: { ...metrics, nested: { a: 1, b: 2 } } } }));
  assert.equal(log.status, 'success', JSON.stringify(log.error));

  const fin = valid(await runner.execute({ action: 'finish', project: 'p', runId }));
  assert.equal(fin.status, 'success');
  assert.ok(bytes(fin) < 64 * 1024, `finish printed ${bytes(fin)} bytes`);
  const summary = fin.summary as Record<string, unknown>;
  assert.equal(Object.keys(summary).length <= 200, true);
  assert.equal(summary['_step'], 0, "W&B's _ keys come first");
  assert.ok('_wandb' in summary);
  assert.equal(summary['m0'], 0);
  // 200,000 metrics + nested.a, nested.b + _step, _runtime, _timestamp, _wandb.runtime
  assert.ok((fin.summaryKeys ?? 0) >= 200_002, String(fin.summaryKeys));
  assert.ok(
    fin.warnings?.some((w) => /200 of them/.test(w) && /"format":"json"/.test(w) && w.includes(runId)),
    JSON.stringify(fin.warnings),
  );

  // The report's output cuts each run's summary the same way; its JSON file holds every key.
  const rep = valid(await runner.execute({ action: 'report', project: 'p', reportConfig: { format: 'json', runIds: [runId], metrics: ['m0'] } }));
  assert.equal(rep.status, 'success', JSON.stringify(rep.error));
  assert.ok(bytes(rep) < 64 * 1024, `report printed ${bytes(rep)} bytes`);
  const runs = (rep.report?.runs ?? []) as Array<{ summary: Record<string, unknown>; summaryKeys?: number }>;
  assert.equal(runs[0]?.summaryKeys, fin.summaryKeys);
  assert.ok(Object.keys(runs[0]?.summary ?? {}).length <= 200);
  const file = JSON.parse(readFileSync(rep.report?.path as string, 'utf8')) as { runs: Array<{ summary: Record<string, unknown> }> };
  assert.equal(file.runs[0]?.summary['m199999'], 199_999);
  assert.deepEqual(file.runs[0]?.summary['nested'], { a: 1, b: 2 });
});

test('a summary within 200 keys is shown whole, without summaryKeys', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const metrics: Record<string, number> = {};
  for (let i = 0; i < 150; i++) metrics[`m${i}`] = i;
  const log = valid(await executeSkill({ action: 'log', project: 'p', runConfig: { name: 'r' }, logData: { metrics } }, isolated(dir)));
  const fin = valid(await executeSkill({ action: 'finish', project: 'p', runId: log.runId as string }, isolated(dir)));
  assert.equal(fin.summaryKeys, undefined);
  assert.equal((fin.summary as Record<string, unknown>)['m149'], 149);
});

test("a report's output lists at most 200 metrics and 200 summary keys per run, with the totals", async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const metrics: Record<string, number> = {};
  for (let i = 0; i < 300; i++) metrics[`m${i}`] = i;
  const log = valid(await executeSkill({ action: 'log', project: 'p', runConfig: { name: 'r' }, logData: { metrics } }, isolated(dir)));
  valid(await executeSkill({ action: 'finish', project: 'p', runId: log.runId as string }, isolated(dir)));
  const rep = valid(await executeSkill({ action: 'report', project: 'p', reportConfig: { format: 'json' } }, isolated(dir)));
  assert.equal(rep.status, 'success', JSON.stringify(rep.error));
  const report = rep.report as Record<string, unknown> & { runs: Array<{ summaryKeys?: number }> };
  // The report charts (and lists) at most 64 metrics it found itself, and says how many there are.
  assert.equal((report['metrics'] as string[]).length, MAX_DISCOVERED_CHARTS);
  assert.ok(
    rep.warnings?.some((w) => w.includes('300 numeric metrics')),
    JSON.stringify(rep.warnings),
  );
  assert.ok((report.runs[0]?.summaryKeys ?? 0) >= 300);
});
