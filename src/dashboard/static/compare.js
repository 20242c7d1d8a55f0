// Runs side by side: the workspace over the chosen runs (a line per run, or per group), then their
// config and summary as tables of flattened keys, one column per run: keys whose values differ are
// marked (and can be shown alone), a run without the key says so. The key column stays in view
// while the table scrolls sideways, so 20 runs stay readable.
import { h, render, path, fmtValue, stateBadge, section, crumbs, projectTabs } from './dom.js';
import { getJson, projectApi } from './api.js';
import { workspace } from './workspace.js';
import { isLive, livePoller } from './live.js';

function diffTable(rows, runs, id) {
  if (rows.length === 0) return h('p', { class: 'muted' }, 'Nothing here.');
  const only = h('input', { type: 'checkbox', id: `${id}-only` });
  const table = h(
    'table',
    { class: 'grid compare', id },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { class: 'key-col' }, 'key'),
        runs.map((r) => h('th', { class: 'run-col', title: r.name }, h('a', { href: r.path }, r.name))),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((row) =>
        h(
          'tr',
          { class: row.differs ? 'differs' : 'same', 'data-key': row.key },
          h('th', { class: 'key-col', title: row.key }, row.key),
          row.values.map((v, i) =>
            row.missing.includes(i)
              ? h('td', { class: 'missing', title: 'not set in this run' }, '—')
              : h('td', { class: typeof v === 'number' || v === 'NaN' || /^-?Infinity$/.test(String(v)) ? 'num' : 'text' }, fmtValue(v)),
          ),
        ),
      ),
    ),
  );
  only.addEventListener('change', () => table.classList.toggle('only-differs', only.checked));
  const differing = rows.filter((r) => r.differs).length;
  return h(
    'div',
    {},
    h('label', { class: 'ctl' }, only, ` only the ${differing} differing key${differing === 1 ? '' : 's'} (of ${rows.length})`),
    h('div', { class: 'table-wrap' }, table),
  );
}

export async function compareView(main, entity, project) {
  crumbs([['Projects', '/'], [project, path(entity, project)], ['compare']]);
  document.title = `Compare · ${project}`;
  const runsParam = new URLSearchParams(location.search).get('runs') ?? '';
  const api = projectApi(entity, project);
  const fetchData = () => getJson(`${api}/compare?runs=${encodeURIComponent(runsParam)}`);
  const data = await fetchData();
  const facets = await getJson(`${api}/facets`).catch(() => ({ columns: { config: [] } }));
  const ws = workspace(api, { runSet: () => new URLSearchParams({ runs: data.runs.map((r) => r.id).join(',') }), groupKeys: facets.columns.config });
  const legend = h('ul', { class: 'legend', id: 'compare-runs' });
  const configBox = h('div', {});
  const summaryBox = h('div', {});
  // Redrawn while a compared run is live (the charts poll on their own); a ticked box stays ticked.
  const fill = (d) => {
    const only = (id) => main.querySelector(`#${id}-only`)?.checked;
    const keep = { config: only('config-diff'), summary: only('summary-diff') };
    legend.replaceChildren(...d.runs.map((r) => h('li', {}, h('a', { href: r.path }, r.name), ' ', stateBadge(r.state))));
    configBox.replaceChildren(diffTable(d.table.config, d.runs, 'config-diff'));
    summaryBox.replaceChildren(diffTable(d.table.summary, d.runs, 'summary-diff'));
    for (const [k, on] of Object.entries(keep)) {
      const box = main.querySelector(`#${k}-diff-only`);
      if (on && box) {
        box.checked = true;
        box.dispatchEvent(new Event('change'));
      }
    }
    return d.runs.some((r) => isLive(r.state));
  };
  const live = livePoller(async () => fill(await fetchData()));
  render(
    main,
    h('h1', {}, `Comparing ${data.runs.length} runs`),
    projectTabs(entity, project, 'runs'),
    h('div', { class: 'toolbar' }, live.el),
    legend,
    section('Charts', ws.el),
    section('Config', configBox),
    section('Summary', summaryBox),
  );
  live.start(fill(data));
  await ws.refresh();
}
