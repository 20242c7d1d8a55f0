import assert from 'node:assert/strict';
import { it } from 'node:test';
import { escapeHtml, escapeMarkdown, slug } from '../../src/report/escape.js';
import { discoverMetrics, extractSeries, findBest, getPath, groupOf, summaryValue } from '../../src/report/extract.js';
import type { ReportData, ReportRun } from '../../src/report/types.js';

const run: ReportRun = {
  runId: 'r1',
  name: 'one',
  state: 'finished',
  config: { opt: { name: 'adam' }, seed: 3, wrapped: { value: 'x', desc: null } },
  summary: { acc: 0.5 },
  group: 'g1',
  history: [
    { _step: 0, 'a.b': 1, train: { loss: 2 }, img: { _type: 'image-file', path: 'x.png' } },
    { _step: 1, 'a.b': 2, train: { loss: Number.NaN } },
    { _step: 2, train: { loss: 1 }, acc: 0.7 },
  ],
};

it('reads flat keys first, then dotted paths', () => {
  assert.equal(getPath({ 'a.b': 1, a: { b: 2 } }, 'a.b'), 1);
  assert.equal(getPath({ a: { b: 2 } }, 'a.b'), 2);
  assert.equal(getPath({ a: 1 }, 'constructor'), undefined);
});

it('discovers numeric metrics, nested ones as dotted paths, skipping media and _ keys', () => {
  const data = { title: 't', project: 'p', generatedAt: 'now', runs: [run] } satisfies ReportData;
  assert.deepEqual(discoverMetrics(data), ['a.b', 'train.loss', 'acc']);
});

it('extracts series, dropping non-finite values', () => {
  const s = extractSeries(run, ['train.loss'], '_step').get('train.loss');
  assert.deepEqual([...(s?.xs ?? [])], [0, 2]);
  assert.deepEqual([...(s?.ys ?? [])], [2, 1]);
  assert.equal(s?.nonFinite, 1);
});

it('summary values fall back to the last history value', () => {
  assert.equal(summaryValue(run, 'acc'), 0.5);
  assert.equal(summaryValue(run, 'train.loss'), 1);
  assert.equal(summaryValue(run, 'missing'), undefined);
});

it('groups by group, jobType or config path', () => {
  assert.equal(groupOf(run, 'group'), 'g1');
  assert.equal(groupOf(run, 'jobType'), null);
  assert.equal(groupOf(run, 'opt.name'), 'adam');
  assert.equal(groupOf(run, 'seed'), '3');
  assert.equal(groupOf(run, 'wrapped'), 'x');
});

it('finds the best run by goal', () => {
  const runs = [0.3, 0.1, 0.2].map((loss, i): ReportRun => ({ ...run, runId: `r${i}`, name: `n${i}`, summary: { loss } }));
  const base = { title: 't', project: 'p', generatedAt: 'now', runs };
  assert.equal(findBest({ ...base, objective: { name: 'loss', goal: 'minimize' } })?.runId, 'r1');
  assert.equal(findBest({ ...base, objective: { name: 'loss', goal: 'maximize' } })?.runId, 'r0');
  const sweep = { sweepId: 's', method: 'grid', metric: { name: 'loss', goal: 'minimize' as const }, parameters: [], bestRunId: 'r2' };
  assert.equal(findBest({ ...base, sweep })?.runId, 'r2');
  assert.equal(findBest(base), undefined);
});

it('escapes HTML and Markdown', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  assert.equal(escapeMarkdown('a|b *c* [d](e) <s>\nx'), 'a\\|b \\*c\\* \\[d\\](e) &lt;s&gt; x');
  assert.equal(slug('Loss / Train (EMA)'), 'loss-train-ema');
  assert.equal(slug('日本'), 'x');
});
