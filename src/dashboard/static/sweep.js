// Sweeps: the list, and one sweep with its best run, parallel coordinates (brushable) and importance.
import { h, render, path, fmtValue, stateBadge, section, crumbs, kvTable, projectTabs } from './dom.js';
import { getJson, projectApi } from './api.js';
import { parallelChart } from './parallel.js';
import { isLive, livePoller } from './live.js';

export async function sweepsView(main, entity, project) {
  crumbs([['Projects', '/'], [project, path(entity, project)], ['sweeps']]);
  const { sweeps } = await getJson(`${projectApi(entity, project)}/sweeps`);
  render(
    main,
    h('h1', {}, 'Sweeps'),
    projectTabs(entity, project, 'sweeps'),
    sweeps.length === 0
      ? h('p', { class: 'muted' }, 'No sweeps in this project.')
      : h(
          'table',
          { class: 'grid' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Sweep'), h('th', {}, 'Method'), h('th', {}, 'State'), h('th', {}, 'Runs'))),
          h(
            'tbody',
            {},
            sweeps.map((s) =>
              h(
                'tr',
                {},
                h('td', {}, h('a', { href: path(entity, project, 'sweeps', s.id) }, s.id)),
                h('td', {}, s.method ?? ''),
                h('td', {}, s.state ?? ''),
                h('td', { class: 'num' }, s.runs),
              ),
            ),
          ),
        ),
  );
}

export async function sweepView(main, entity, project, sweepId) {
  crumbs([['Projects', '/'], [project, path(entity, project)], ['sweeps', path(entity, project, 'sweeps')], [sweepId]]);
  document.title = `Sweep ${sweepId} · ${project}`;
  const api = `${projectApi(entity, project)}/sweeps/${encodeURIComponent(sweepId)}`;
  const params = new URLSearchParams(location.search);
  let brushes = new Map(); // kept across live redraws
  const live = livePoller(() => draw());
  /** Fetches and draws the page; returns whether one of the sweep's runs is live. */
  const draw = async () => {
    const q = new URLSearchParams();
    if (params.get('metric')) q.set('metric', params.get('metric'));
    if (params.get('goal')) q.set('goal', params.get('goal'));
    const d = await getJson(`${api}?${q}`);
    const metricSel = h(
      'select',
      {
        id: 'sweep-metric',
        'aria-label': 'Metric',
        onchange: (e) => {
          params.set('metric', e.target.value);
          history.replaceState(null, '', `?${params}`);
          draw();
        },
      },
      [...new Set([d.metric, ...d.metrics])].map((m) => h('option', { value: m, selected: m === d.metric }, m)),
    );
    const goalSel = h(
      'select',
      {
        id: 'sweep-goal',
        'aria-label': 'Goal',
        onchange: (e) => {
          params.set('goal', e.target.value);
          history.replaceState(null, '', `?${params}`);
          draw();
        },
      },
      ['minimize', 'maximize'].map((g) => h('option', { value: g, selected: g === d.goal }, g)),
    );
    const chart = h('figure', { class: 'chart parallel-card', id: 'parallel', 'data-metric': d.metric });
    render(
      main,
      h('h1', {}, d.sweep.name ? `${d.sweep.name} (${sweepId})` : `Sweep ${sweepId}`),
      projectTabs(entity, project, 'sweeps'),
      h(
        'div',
        { class: 'facts' },
        d.sweep.method ? h('span', {}, `method ${d.sweep.method}`) : null,
        d.sweep.state ? h('span', {}, `state ${d.sweep.state}`) : null,
        d.sweep.derived ? h('span', { class: 'muted' }, 'no stored sweep config: parameters and metric derived from the runs') : null,
      ),
      h('div', { class: 'toolbar' }, h('label', {}, 'metric ', metricSel), h('label', {}, 'goal ', goalSel), live.el),
      section(
        'Best run',
        d.best
          ? h('p', { id: 'best-run' }, h('a', { href: d.best.path }, d.best.name), ` · ${d.metric} = ${fmtValue(d.best.metric)}`)
          : h('p', { class: 'muted' }, 'No run has reported the metric yet.'),
      ),
      h('p', { class: 'muted', id: 'metric-definition' }, `How runs are scored: ${d.metricDefinition}.`),
      section('Parameters against the metric', chart),
      section('Parameter importance', importanceTable(d)),
      d.sweep.config ? h('details', { class: 'card' }, h('summary', {}, 'Sweep config'), kvTable(d.sweep.config)) : null,
      section(
        'Runs',
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'grid', id: 'sweep-runs' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, 'Run'),
                h('th', {}, 'State'),
                d.parameters.map((p) => h('th', {}, p)),
                h('th', {}, d.metric),
              ),
            ),
            h(
              'tbody',
              {},
              d.runs.map((r) =>
                h(
                  'tr',
                  { class: d.best && r.id === d.best.id ? 'best' : '' },
                  h('td', {}, h('a', { href: r.path }, r.name)),
                  h('td', {}, stateBadge(r.state)),
                  d.parameters.map((p) => h('td', { class: 'num' }, fmtValue(r.params[p]))),
                  h('td', { class: 'num' }, fmtValue(r.metric)),
                ),
              ),
            ),
          ),
        ),
      ),
    );
    drawParallel(chart, d, brushes, (b) => (brushes = b));
    return d.runs.some((r) => isLive(r.state));
  };
  live.start(await draw());
}

// Parallel coordinates as wide as the card; brushing dims the runs outside and says how many are kept.
function drawParallel(box, d, initial, keep) {
  const status = h('p', { id: 'parallel-status', class: 'muted', 'aria-live': 'polite' });
  const clearBtn = h('button', { type: 'button', id: 'parallel-clear', disabled: true }, 'Clear brushes');
  const rows = [...document.querySelectorAll('#sweep-runs tbody tr')];
  const chart = parallelChart({
    metric: d.metric,
    axes: d.axes,
    runs: d.runs,
    bestId: d.best?.id,
    initial,
    width: Math.max(480, Math.min(1400, (box.parentElement?.clientWidth ?? 900) - 40)),
    onBrush(inside, ranges) {
      keep(chart.brushes());
      d.runs.forEach((r, i) => rows[i]?.classList.toggle('dimmed', !inside.has(r.id)));
      clearBtn.disabled = ranges.length === 0;
      status.textContent =
        ranges.length === 0 ? `${d.runs.length} runs · drag along an axis to brush` : `${inside.size} of ${d.runs.length} runs in ${ranges.join(' and ')}`;
    },
  });
  clearBtn.addEventListener('click', () => chart.clear());
  status.textContent = `${d.runs.length} runs · drag along an axis to brush`;
  box.replaceChildren(chart.svg, h('div', { class: 'toolbar' }, clearBtn, status));
  return chart;
}

// W&B's parameter importance: a random forest's reliance on each parameter, and its correlation.
function importanceTable(d) {
  if (!d.importance || d.importance.length === 0) return h('p', { class: 'muted' }, 'No parameters.');
  return h(
    'table',
    { class: 'grid', id: 'importance' },
    h('thead', {}, h('tr', {}, h('th', {}, 'parameter'), h('th', {}, 'importance'), h('th', {}, `correlation with ${d.metric}`))),
    h(
      'tbody',
      {},
      d.importance.map((p) => {
        const bar = h('span', { class: 'bar' });
        bar.style.width = `${Math.round(p.importance * 120)}px`;
        const corr = h('td', { class: 'num' }, p.correlation === null ? '—' : p.correlation.toFixed(3));
        if (p.correlation !== null) corr.classList.add(p.correlation >= 0 ? 'pos' : 'neg');
        return h('tr', { 'data-param': p.name }, h('th', {}, p.name), h('td', { class: 'num' }, bar, ` ${p.importance.toFixed(3)}`), corr);
      }),
    ),
  );
}
