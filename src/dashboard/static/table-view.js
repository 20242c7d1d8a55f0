// A logged table (W&B's {columns, data}): every row reachable, 50 a page, sortable by any column
// (numbers as numbers, NaN and missing last) and filtered by a text search over all cells.
import { h, fmtValue } from './dom.js';

const PAGE = 50;

const cellText = (v) => (v !== null && typeof v === 'object' && '_type' in v ? `[${v._type}]` : fmtValue(v));

function compare(a, b) {
  const na = typeof a === 'number' && !Number.isNaN(a);
  const nb = typeof b === 'number' && !Number.isNaN(b);
  if (na && nb) return a - b;
  if (na !== nb) return na ? -1 : 1; // numbers before the rest
  if (a === undefined || a === null) return b === undefined || b === null ? 0 : 1;
  if (b === undefined || b === null) return -1;
  return cellText(a).localeCompare(cellText(b));
}

export function tableView(key, t) {
  const cols = Array.isArray(t.columns) ? t.columns.map(String) : [];
  const all = (Array.isArray(t.data) ? t.data : []).map((r, i) => ({ i, cells: Array.isArray(r) ? r : [] }));
  const state = { sort: -1, dir: 1, q: '', page: 0 };
  const thead = h('thead');
  const tbody = h('tbody');
  const status = h('span', { class: 'muted small', 'data-table-status': key, role: 'status' });
  const prev = h('button', { type: 'button', 'aria-label': `Previous rows of ${key}` }, '←');
  const next = h('button', { type: 'button', 'aria-label': `Next rows of ${key}` }, '→');
  const filter = h('input', { type: 'search', placeholder: 'Filter rows', 'aria-label': `Filter rows of ${key}`, 'data-table-filter': key });
  const draw = () => {
    const q = state.q.toLowerCase();
    let rows = q ? all.filter((r) => r.cells.some((c) => cellText(c).toLowerCase().includes(q))) : all;
    if (state.sort >= 0) rows = [...rows].sort((a, b) => state.dir * compare(a.cells[state.sort], b.cells[state.sort]) || a.i - b.i);
    const pages = Math.max(1, Math.ceil(rows.length / PAGE));
    state.page = Math.min(state.page, pages - 1);
    const from = state.page * PAGE;
    const shown = rows.slice(from, from + PAGE);
    thead.replaceChildren(
      h(
        'tr',
        {},
        cols.map((c, i) =>
          h(
            'th',
            { 'aria-sort': state.sort === i ? (state.dir > 0 ? 'ascending' : 'descending') : 'none' },
            h(
              'button',
              {
                type: 'button',
                class: 'sort',
                'aria-label': `Sort ${key} by ${c}`,
                onclick: () => {
                  state.dir = state.sort === i ? -state.dir : 1;
                  state.sort = i;
                  state.page = 0;
                  draw();
                },
              },
              c + (state.sort === i ? (state.dir > 0 ? ' ▲' : ' ▼') : ''),
            ),
          ),
        ),
      ),
    );
    tbody.replaceChildren(
      ...shown.map((r) =>
        h(
          'tr',
          {},
          cols.map((_, i) => h('td', { class: typeof r.cells[i] === 'number' ? 'num' : '' }, cellText(r.cells[i]))),
        ),
      ),
    );
    prev.disabled = state.page === 0;
    next.disabled = state.page >= pages - 1;
    status.textContent =
      rows.length === 0
        ? `no rows match (of ${all.length})`
        : `rows ${from + 1}–${from + shown.length} of ${rows.length}${rows.length < all.length ? ` (filtered from ${all.length})` : ''}`;
  };
  let timer;
  filter.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.q = filter.value;
      state.page = 0;
      draw();
    }, 120);
  });
  prev.addEventListener('click', () => {
    state.page--;
    draw();
  });
  next.addEventListener('click', () => {
    state.page++;
    draw();
  });
  draw();
  return h(
    'div',
    { class: 'table-view', 'data-table': key },
    all.length > PAGE || cols.length > 0 ? h('div', { class: 'toolbar' }, filter, prev, next, status) : null,
    h('div', { class: 'table-wrap' }, h('table', { class: 'grid' }, thead, tbody)),
  );
}
