// A project's runs table: the server filters, sorts and pages (a project may hold 10,000 runs);
// the view state lives in the URL's query so a reload or a shared link shows the same page. Above
// it, the workspace charts every metric over the runs the table lists (or the ones selected).
import { h, render, path, fmtTime, fmtDuration, fmtValue, stateBadge, crumbs, projectTabs } from './dom.js';
import { getJson, projectApi } from './api.js';
import { filterBar, columnChooser, numericColumns } from './filters.js';
import { workspace } from './workspace.js';
import { isLive, livePoller } from './live.js';

const PAGE = 50;

export async function runsView(main, entity, project) {
  crumbs([['Projects', '/'], [project]]);
  document.title = `${project} · wandb-skill`;
  const api = projectApi(entity, project);
  const params = new URLSearchParams(location.search);
  const state = {
    sort: params.get('sort') ?? 'created',
    order: params.get('order') ?? 'desc',
    q: params.get('q') ?? '',
    tag: params.get('tag') ?? '',
    state: params.get('state') ?? '',
    offset: Number(params.get('offset') ?? 0) || 0,
    columns: params.get('columns') ?? localStorage.getItem(`columns:${entity}/${project}`),
    f: params.getAll('f'),
  };
  const selected = new Set();
  const facets = await getJson(`${api}/facets`);
  if (state.columns === null) {
    state.columns = [...facets.columns.config.slice(0, 3).map((k) => `config.${k}`), ...facets.columns.summary.slice(0, 4).map((k) => `summary.${k}`)].join(
      ',',
    );
  }

  const runSet = () => {
    const q = new URLSearchParams({ sort: state.sort, order: state.order });
    if (selected.size > 0) q.set('runs', [...selected].join(','));
    else {
      if (state.q) q.set('q', state.q);
      if (state.tag) q.set('tag', state.tag);
      if (state.state) q.set('state', state.state);
      for (const f of state.f) q.append('f', f);
    }
    return q;
  };
  const ws = workspace(api, { runSet, groupKeys: facets.columns.config });
  let wsTimer;
  const wsRefresh = () => {
    clearTimeout(wsTimer);
    wsTimer = setTimeout(() => ws.refresh(), 150);
  };
  const status = h('span', { class: 'muted', id: 'runs-status' });
  const tbody = h('tbody');
  const thead = h('thead');
  const compareBtn = h(
    'button',
    {
      type: 'button',
      id: 'compare',
      disabled: true,
      onclick: () => {
        location.href = `${path(entity, project, 'compare')}?runs=${[...selected].map(encodeURIComponent).join(',')}`;
      },
    },
    'Compare selected',
  );
  const pager = h('div', { class: 'pager' });
  const live = livePoller(() => load({ quiet: true }));
  const search = h('input', {
    type: 'search',
    id: 'filter-text',
    placeholder: 'Search name, id or tag',
    'aria-label': 'Search runs by name, id or tag',
    value: state.q,
  });
  let timer;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.q = search.value;
      state.offset = 0;
      load();
    }, 200);
  });
  const stateSel = h(
    'select',
    {
      id: 'filter-state',
      'aria-label': 'Run state',
      onchange: (e) => {
        state.state = e.target.value;
        state.offset = 0;
        load();
      },
    },
    h('option', { value: '' }, 'any state'),
    facets.states.map((s) => h('option', { value: s, selected: s === state.state }, s)),
  );
  const tagSel = h(
    'select',
    {
      id: 'filter-tag',
      'aria-label': 'Tag',
      onchange: (e) => {
        state.tag = e.target.value;
        state.offset = 0;
        load();
      },
    },
    h('option', { value: '' }, 'any tag'),
    facets.tags.map((t) => h('option', { value: t, selected: t === state.tag }, t)),
  );
  const columnsPicker = columnChooser(facets, state.columns, (cols) => {
    state.columns = cols;
    localStorage.setItem(`columns:${entity}/${project}`, cols);
    load();
  });

  render(
    main,
    h('h1', {}, project),
    projectTabs(entity, project, 'runs'),
    h('div', { class: 'toolbar' }, search, stateSel, tagSel, columnsPicker, compareBtn, status, live.el),
    filterBar(state.f, [...facets.columns.config, ...facets.columns.summary.map((k) => `summary.${k}`)], (list) => {
      state.f = [...list];
      state.offset = 0;
      load();
    }),
    h('section', { class: 'card', 'aria-label': 'Workspace charts' }, h('h2', {}, 'Charts'), ws.el),
    h('div', { class: 'table-wrap' }, h('table', { class: 'grid runs', id: 'runs-table' }, thead, tbody)),
    pager,
  );

  function header(columns, numeric) {
    const th = (label, key, cls = '') => {
      if (!key) return h('th', {}, label);
      const arrow = state.sort === key ? (state.order === 'asc' ? ' ▲' : ' ▼') : '';
      return h(
        'th',
        {
          class: `sortable ${cls}`,
          'data-sort': key,
          onclick: () => {
            if (state.sort === key) state.order = state.order === 'asc' ? 'desc' : 'asc';
            else {
              state.sort = key;
              state.order = key === 'name' ? 'asc' : 'desc';
            }
            state.offset = 0;
            load();
          },
        },
        label + arrow,
      );
    };
    thead.replaceChildren(
      h(
        'tr',
        {},
        h('th', {}, ''),
        th('Name', 'name', 'name-col'),
        th('State', 'state'),
        th('Tags'),
        th('Created', 'created'),
        th('Duration', 'duration', 'num'),
        th('Group'),
        th('Job type'),
        th('Sweep'),
        columns.map((c) => th(c, c, numeric.has(c) ? 'num' : '')),
      ),
    );
  }

  // `quiet`: a live refresh (the charts poll on their own), leaving URL and status alone. Returns whether a run is live.
  async function load({ quiet = false } = {}) {
    const q = new URLSearchParams({ sort: state.sort, order: state.order, limit: String(PAGE), offset: String(state.offset), columns: state.columns });
    if (state.q) q.set('q', state.q);
    if (state.tag) q.set('tag', state.tag);
    if (state.state) q.set('state', state.state);
    for (const f of state.f) q.append('f', f);
    // The table's part of the URL; the workspace keeps its own parameters beside it.
    const url = new URLSearchParams(location.search);
    for (const k of ['sort', 'order', 'q', 'tag', 'state', 'offset', 'columns', 'f']) url.delete(k);
    for (const [k, v] of Object.entries({
      sort: state.sort,
      order: state.order,
      q: state.q,
      tag: state.tag,
      state: state.state,
      offset: String(state.offset),
      columns: state.columns,
    }))
      if (v !== '') url.set(k, v);
    for (const f of state.f) url.append('f', f);
    if (!quiet) {
      history.replaceState(null, '', `${location.pathname}?${url}`);
      if (selected.size === 0) wsRefresh();
      status.textContent = 'loading…';
    }
    let page;
    try {
      page = await getJson(`${api}/runs?${q}`);
    } catch (err) {
      if (quiet) throw err;
      status.textContent = err.message;
      return false;
    }
    const numeric = numericColumns(page.columns, page.runs); // right-aligned, header too; text stays left
    header(page.columns, numeric);
    tbody.replaceChildren(
      ...page.runs.map((r) =>
        h(
          'tr',
          { 'data-run': r.id },
          h(
            'td',
            {},
            h('input', {
              type: 'checkbox',
              class: 'pick',
              'aria-label': `Select run ${r.name}`,
              checked: selected.has(r.id),
              onchange: (e) => {
                if (e.target.checked) selected.add(r.id);
                else selected.delete(r.id);
                compareBtn.disabled = selected.size < 2 || selected.size > 20;
                compareBtn.textContent = `Compare selected (${selected.size})`;
                wsRefresh();
              },
            }),
          ),
          h(
            'td',
            { class: 'name-col' },
            h('a', { class: 'run-name', href: path(entity, project, 'runs', r.id) }, r.name),
            h('div', { class: 'muted small' }, r.id),
          ),
          h('td', {}, stateBadge(r.state)),
          h(
            'td',
            {},
            (r.tags ?? []).map((t) => h('span', { class: 'tag' }, t)),
          ),
          h('td', {}, fmtTime(r.createdAt)),
          h('td', { class: 'num' }, fmtDuration(r.duration)),
          h('td', { class: 'nowrap' }, r.group ?? ''),
          h('td', { class: 'nowrap' }, r.jobType ?? ''),
          h('td', { class: 'nowrap' }, r.sweepId ? h('a', { href: path(entity, project, 'sweeps', r.sweepId) }, r.sweepId) : ''),
          page.columns.map((c) => h('td', { class: numeric.has(c) ? 'num' : 'nowrap' }, fmtValue(r.values?.[c]))),
        ),
      ),
    );
    const end = Math.min(page.total, page.offset + page.runs.length);
    status.textContent = `${page.total} runs`;
    pager.replaceChildren(
      h(
        'button',
        {
          type: 'button',
          id: 'prev',
          disabled: page.offset === 0,
          onclick: () => {
            state.offset = Math.max(0, state.offset - PAGE);
            load();
          },
        },
        '← Previous',
      ),
      h('span', { class: 'muted' }, page.total === 0 ? 'no runs match' : `${page.offset + 1}–${end} of ${page.total}`),
      h(
        'button',
        {
          type: 'button',
          id: 'next',
          disabled: end >= page.total,
          onclick: () => {
            state.offset += PAGE;
            load();
          },
        },
        'Next →',
      ),
    );
    const anyLive = page.runs.some((r) => isLive(r.state));
    if (!quiet) live.start(anyLive);
    return anyLive;
  }
  await load();
}
