// Runs side by side: the workspace over the chosen runs (a line per run, or per group), then their
// config and summary as tables of flattened keys, one column per run: keys whose values differ are
// marked (and can be shown alone), a run without the key says so. The key column stays in view
// while the table scrolls sideways, so 20 runs stay readable.
import { h, render, path, fmtValue, stateBadge, section, crumbs } from './dom.js';
import { getJson, projectApi } from './api.js';
import { projectTabs } from './runs.js';
import { workspace } from './workspace.js';

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
  const data = await getJson(`${api}/compare?runs=${encodeURIComponent(runsParam)}`);
  const facets = await getJson(`${api}/facets`).catch(() => ({ columns: { config: [] } }));
  const ws = workspace(api, { runSet: () => new URLSearchParams({ runs: data.runs.map((r) => r.id).join(',') }), groupKeys: facets.columns.config });
  render(
    main,
    h('h1', {}, `Comparing ${data.runs.length} runs`),
    projectTabs(entity, project, 'runs'),
    h(
      'ul',
      { class: 'legend' },
      data.runs.map((r) => h('li', {}, h('a', { href: r.path }, r.name), ' ', stateBadge(r.state))),
    ),
    section('Charts', ws.el),
    section('Config', diffTable(data.table.config, data.runs, 'config-diff')),
    section('Summary', diffTable(data.table.summary, data.runs, 'summary-diff')),
  );
  await ws.refresh();
}
