// Runs side by side: one overlaid chart per metric (a line per run) and their configs and summaries.
import { h, render, path, fmtValue, stateBadge, section, crumbs } from './dom.js';
import { getJson, projectApi } from './api.js';
import { chartCard, loadVega } from './charts.js';
import { projectTabs } from './runs.js';

function diffTable(rows, runs, id) {
  if (rows.length === 0) return h('p', { class: 'muted' }, 'Nothing here.');
  return h(
    'table',
    { class: 'grid', id },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'key'),
        runs.map((r) => h('th', {}, r.name)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((row) => {
        const differs = new Set(row.values.map((v) => JSON.stringify(v))).size > 1;
        return h(
          'tr',
          { class: differs ? 'differs' : '' },
          h('th', {}, row.key),
          row.values.map((v) => h('td', { class: 'num' }, fmtValue(v))),
        );
      }),
    ),
  );
}

export async function compareView(main, entity, project) {
  crumbs([['Projects', '/'], [project, path(entity, project)], ['compare']]);
  document.title = `Compare · ${project}`;
  loadVega();
  const runsParam = new URLSearchParams(location.search).get('runs') ?? '';
  const data = await getJson(`${projectApi(entity, project)}/compare?runs=${encodeURIComponent(runsParam)}`);
  const grid = h('div', { class: 'charts', id: 'charts' });
  render(
    main,
    h('h1', {}, `Comparing ${data.runs.length} runs`),
    projectTabs(entity, project, 'runs'),
    h(
      'ul',
      { class: 'legend' },
      data.runs.map((r) => h('li', {}, h('a', { href: r.path }, r.name), ' ', stateBadge(r.state))),
    ),
    section('Charts', grid),
    h(
      'div',
      { class: 'two' },
      section('Config', diffTable(data.table.config, data.runs, 'config-diff')),
      section('Summary', diffTable(data.table.summary, data.runs, 'summary-diff')),
    ),
  );
  for (const c of data.charts) {
    const card = chartCard(c.metric);
    grid.append(card.card);
    await card.draw(c.spec);
  }
}
