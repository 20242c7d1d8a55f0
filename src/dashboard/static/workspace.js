// The workspace: one chart per logged metric over every run in the run set (the runs table's
// filter, search and selection), with chart controls kept in the URL: x axis, smoothing, log
// scales, grouping with bands. Charts load when scrolled into view; finished run sets stop polling.
import { h } from './dom.js';
import { getJson } from './api.js';
import { loadUPlot, drawChart, colorOf } from './plot.js';
import { lineOf, smooth, aggregate, groupRuns } from './series.js';
import { urlState, saveUrl } from './workspace-state.js';

const PAGE = 12;
const POLL_MS = 4000;

const labelled = (text, control) => h('label', { class: 'ctl' }, h('span', {}, text), control);

/**
 * Builds the workspace. `o.runSet()` gives the run-set query (URLSearchParams); `o.groupKeys` the
 * config keys offered for grouping; `o.single` (a run page) asks for every chart's series at once.
 */
export function workspace(api, o) {
  const s = urlState();
  const grid = h('div', { class: 'charts', id: 'charts' });
  const status = h('span', { class: 'muted', id: 'ws-status' });
  const more = h('button', { type: 'button', id: 'ws-more', hidden: true, onclick: () => showMore() }, 'Show more charts');
  const xSel = h('select', { id: 'ws-x', 'aria-label': 'X axis', onchange: (e) => set({ x: e.target.value }) });
  const change = (patch) => () => set(patch());
  const smoothSel = h(
    'select',
    { id: 'ws-smooth', 'aria-label': 'Smoothing method', onchange: (e) => set({ smooth: e.target.value }) },
    [
      ['none', 'no smoothing'],
      ['ema', 'exponential moving average'],
      ['avg', 'running average'],
    ].map(([v, t]) => h('option', { value: v, selected: v === s.smooth }, t)),
  );
  const amount = h('input', { type: 'range', id: 'ws-smoothing', min: 0, max: 0.99, step: 0.01, value: String(s.amount), 'aria-label': 'Smoothing amount' });
  // What the slider means, shown beside it: the EMA's weight, or the running average's window in points.
  const amountText = h('output', { id: 'ws-smoothing-value', class: 'muted small', for: 'ws-smoothing' });
  const showAmount = () => {
    const v = Number(amount.value);
    amount.disabled = s.smooth === 'none';
    amountText.textContent = s.smooth === 'ema' ? `weight ${v.toFixed(2)}` : s.smooth === 'avg' ? `window ${Math.max(1, Math.round(v * 100))} points` : '';
  };
  amount.addEventListener('input', showAmount);
  amount.addEventListener(
    'change',
    change(() => ({ amount: Number(amount.value) })),
  );
  const check = (id, key, text) => {
    const c = h('input', { type: 'checkbox', id, checked: s[key] });
    c.addEventListener('change', () => set({ [key]: c.checked }));
    return h('label', { class: 'ctl' }, c, text);
  };
  const groupSel = h(
    'select',
    { id: 'ws-group', 'aria-label': 'Group runs by', onchange: (e) => set({ groupBy: e.target.value }, true) },
    h('option', { value: '' }, 'no grouping'),
    h('option', { value: 'group', selected: s.groupBy === 'group' }, 'group'),
    h('option', { value: 'jobType', selected: s.groupBy === 'jobType' }, 'job type'),
    h('option', { value: 'sweep', selected: s.groupBy === 'sweep' }, 'sweep'),
    (o.groupKeys ?? []).map((k) => h('option', { value: `config.${k}`, selected: s.groupBy === `config.${k}` }, `config.${k}`)),
  );
  const bandSel = h(
    'select',
    { id: 'ws-band', 'aria-label': 'Band', onchange: (e) => set({ band: e.target.value }) },
    [
      ['minmax', 'min/max band'],
      ['std', 'std-dev band (groups)'],
      ['none', 'no band'],
    ].map(([v, t]) => h('option', { value: v, selected: v === s.band }, t)),
  );
  const metricFilter = h('input', {
    type: 'search',
    id: 'ws-metrics',
    value: s.metrics,
    placeholder: 'Filter charts (regex)',
    'aria-label': 'Filter charts by metric name',
  });
  metricFilter.addEventListener('input', () => {
    clearTimeout(metricFilter.timer);
    metricFilter.timer = setTimeout(() => set({ metrics: metricFilter.value }), 250);
  });
  const controls = h(
    'div',
    { class: 'toolbar ws-controls', role: 'group', 'aria-label': 'Chart controls' },
    metricFilter,
    labelled('x', xSel),
    smoothSel,
    amount,
    amountText,
    check('ws-logx', 'logx', 'log x'),
    check('ws-logy', 'logy', 'log y'),
    o.single ? null : groupSel,
    bandSel,
    status,
  );
  const el = h('div', { class: 'workspace' }, controls, grid, more);
  showAmount();

  let info = { runs: [], metrics: [] };
  let shown = PAGE;
  const cards = new Map(); // metric -> {card, body, chart, data, visible}
  let observer;
  let timer;
  let generation = 0;

  function set(patch, refetch = false) {
    Object.assign(s, patch);
    saveUrl(s);
    showAmount();
    if (refetch || 'x' in patch) return refresh();
    layout();
    for (const c of cards.values()) if (c.data) draw(c);
  }

  function metricsShown() {
    let re = null;
    try {
      re = s.metrics ? new RegExp(s.metrics, 'i') : null;
    } catch {
      re = null;
    }
    return info.metrics.filter((m) => !re || re.test(m));
  }

  function showMore() {
    shown += PAGE;
    layout();
  }

  function layout() {
    const list = metricsShown();
    const want = list.slice(0, shown);
    more.hidden = list.length <= shown;
    more.textContent = `Show more charts (${list.length - shown} hidden)`;
    grid.replaceChildren(...want.map((m) => cardOf(m).card));
    if (want.length === 0) grid.replaceChildren(h('p', { class: 'muted' }, info.runs.length === 0 ? 'No runs match.' : 'No numeric metrics logged yet.'));
  }

  function cardOf(metric) {
    let c = cards.get(metric);
    if (c) return c;
    const body = h('div', { class: 'chart-body' }, h('span', { class: 'muted' }, 'loading…'));
    const title = h('h3', { class: 'chart-title' }, metric);
    const reset = h('button', { type: 'button', class: 'reset', 'aria-label': `Reset zoom of ${metric}`, onclick: () => c.chart?.reset() }, 'Reset zoom');
    const card = h(
      'div',
      { class: 'chart', 'data-metric': metric, role: 'figure', 'aria-label': `${metric} by ${s.x}` },
      h('div', { class: 'chart-head' }, title, reset),
      body,
    );
    c = { metric, card, body, chart: null, data: null };
    cards.set(metric, c);
    observer?.observe(card);
    return c;
  }

  async function fetchSeries(metrics) {
    const g = generation;
    const q = o.runSet();
    q.set('keys', metrics.join(','));
    q.set('x', s.x);
    let data;
    try {
      data = await getJson(`${api}/series?${q}`);
    } catch (err) {
      for (const m of metrics) cards.get(m)?.body.replaceChildren(h('p', { class: 'error' }, err.message));
      return;
    }
    if (g !== generation) return;
    for (const m of metrics) {
      const c = cards.get(m);
      if (!c) continue;
      c.data = data;
      draw(c);
    }
  }

  let pending = new Set();
  let flushing = null;
  function want(metric) {
    const c = cards.get(metric);
    if (!c || c.data || c.loading) return;
    c.loading = true;
    if (!o.single) return void fetchSeries([metric]).finally(() => (c.loading = false));
    pending.add(metric);
    flushing ??= Promise.resolve().then(() => {
      const batch = [...pending].slice(0, 20);
      pending = new Set([...pending].slice(20));
      flushing = null;
      return fetchSeries(batch).finally(() => batch.forEach((m) => cards.get(m) && (cards.get(m).loading = false)));
    });
  }

  async function draw(c) {
    const uPlot = await loadUPlot();
    const d = c.data;
    const byId = new Map(d.series.map((r) => [r.id, r]));
    const runs = info.runs.filter((r) => byId.has(r.id));
    const lines = [];
    let nonFinite = 0;
    const lineFor = (r) => {
      const l = lineOf(byId.get(r.id), c.metric, s.x);
      if (l) nonFinite += l.ys.filter((y) => !Number.isFinite(y)).length;
      return l;
    };
    if (s.groupBy) {
      const groups = [...groupRuns(runs, s.groupBy)];
      groups.forEach(([label, members], gi) => {
        const member = members
          .map(lineFor)
          .filter(Boolean)
          .map((l) => ({ ...l, ys: smooth(l.ys, s.smooth, s.amount) }));
        const agg = aggregate(member);
        if (!agg) return;
        const band =
          s.band === 'minmax'
            ? { lo: agg.lo, hi: agg.hi }
            : s.band === 'std'
              ? { lo: agg.ys.map((m, i) => m - agg.std[i]), hi: agg.ys.map((m, i) => m + agg.std[i]) }
              : {};
        const color = colorOf(gi);
        lines.push({ label: `${label} (${members.length} runs)`, color, xs: agg.xs, ys: agg.ys, ...band, width: 2, extra: agg.n.map((n) => `(mean of ${n})`) });
      });
    } else {
      runs.forEach((r, i) => {
        const l = lineFor(r);
        if (!l) return;
        const ys = smooth(l.ys, s.smooth, s.amount);
        const color = colorOf(i);
        const bands = s.band !== 'none' && l.lo && runs.length <= 10 ? { lo: l.lo, hi: l.hi } : {};
        if (s.smooth !== 'none') lines.push({ label: `${r.name} (raw)`, color: color + '40', xs: l.xs, ys: l.ys, width: 1 });
        lines.push({ label: r.name, color, xs: l.xs, ys, raw: s.smooth !== 'none' ? l.ys : undefined, ...bands });
      });
    }
    c.card.setAttribute('aria-label', `${c.metric} by ${s.x}${s.groupBy ? `, grouped by ${s.groupBy}` : ''}`);
    c.card.dataset.lines = String(lines.filter((l) => !l.label.endsWith('(raw)')).length);
    c.card.dataset.nonfinite = String(nonFinite);
    if (lines.length === 0) {
      c.chart?.destroy();
      c.chart = null;
      c.body.replaceChildren(h('p', { class: 'muted' }, `No ${c.metric} values${s.x === '_step' ? '' : ` with ${s.x}`}.`));
      return;
    }
    c.chart?.destroy();
    c.chart = drawChart(uPlot, c.body, lines, { xLabel: s.x === '_timestamp' ? 'wall time' : s.x, logX: s.logx, logY: s.logy, time: s.x === '_timestamp' });
    if (nonFinite > 0)
      c.body.prepend(h('p', { class: 'nonfinite small' }, `${nonFinite} NaN or infinite value${nonFinite === 1 ? '' : 's'} (gaps in the line)`));
  }

  async function refresh() {
    generation++;
    const q = o.runSet();
    if (s.groupBy && s.groupBy.startsWith('config.')) q.set('groupBy', s.groupBy);
    status.textContent = 'loading…';
    try {
      info = await getJson(`${api}/workspace?${q}`);
    } catch (err) {
      status.textContent = err.message;
      return;
    }
    status.textContent = info.total > info.shown ? `charting ${info.shown} of ${info.total} runs` : `${info.shown} run${info.shown === 1 ? '' : 's'}`;
    const xs = [...info.xKeys, ...info.metrics];
    xSel.replaceChildren(...xs.map((k) => h('option', { value: k, selected: k === s.x }, k === '_timestamp' ? 'wall time' : k)));
    for (const c of cards.values()) {
      c.data = null;
      c.loading = false;
    }
    observer?.disconnect();
    observer = new IntersectionObserver((entries) => entries.forEach((e) => e.isIntersecting && want(e.target.dataset.metric)), { rootMargin: '200px' });
    for (const c of cards.values()) observer.observe(c.card);
    layout();
    clearTimeout(timer);
    if (!o.single && info.runs.some((r) => r.state === 'running' || r.state === 'pending')) timer = setTimeout(refresh, POLL_MS);
  }

  return { el, refresh, state: s };
}
