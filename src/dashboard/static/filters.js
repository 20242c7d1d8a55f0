// The filter bar: filters on config, summary and run facts (`optimizer = sgd`, `lr < 1e-3`,
// `val/acc > 0.8`, `state = crashed`, `group = resnet`, `job_type = train`, `sweep = abc`), all of
// which must hold; each is an `f` parameter of the page's URL and of the API queries.
import { h } from './dom.js';

/** A filter bar over `filters` (array of strings); `onChange(list)` after each add or removal. */
export function filterBar(filters, keys, onChange) {
  const list = [...filters];
  const chips = h('span', { class: 'chips', id: 'filter-chips' });
  const input = h('input', {
    type: 'text',
    id: 'filter-add',
    list: 'filter-keys',
    placeholder: 'Add filter: lr < 1e-3, optimizer = sgd, state = finished',
    'aria-label': 'Add a filter (key operator value)',
  });
  const datalist = h(
    'datalist',
    { id: 'filter-keys' },
    ['state = ', 'group = ', 'job_type = ', 'sweep = ', ...keys.map((k) => `${k} `)].map((k) => h('option', { value: k })),
  );
  const error = h('span', { class: 'error small', id: 'filter-error', role: 'alert' });
  const add = () => {
    const v = input.value.trim();
    if (!v) return;
    if (!/^\s*(`[^`]+`|[^\s<>=!~]+)\s*(!=|<=|>=|=|<|>|~)\s*\S/.test(v)) {
      error.textContent = 'write key, operator (= != < <= > >= ~) and value';
      return;
    }
    error.textContent = '';
    list.push(v);
    input.value = '';
    paint();
    onChange(list);
  };
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') add();
  });
  const addBtn = h('button', { type: 'button', id: 'filter-add-btn', onclick: add }, 'Add filter');
  function paint() {
    chips.replaceChildren(
      ...list.map((f, i) =>
        h(
          'span',
          { class: 'chip', 'data-filter': f },
          f,
          h(
            'button',
            {
              type: 'button',
              class: 'chip-x',
              'aria-label': `Remove filter ${f}`,
              onclick: () => {
                list.splice(i, 1);
                paint();
                onChange(list);
              },
            },
            '×',
          ),
        ),
      ),
    );
  }
  paint();
  return h('div', { class: 'toolbar filters' }, input, datalist, addBtn, chips, error);
}

/** The columns chooser: a checkbox per config and summary key; `onChange` gets the chosen list as CSV. */
export function columnChooser(facets, columns, onChange) {
  const chosen = new Set(columns.split(',').filter(Boolean));
  const colBox = (key) =>
    h(
      'label',
      { class: 'colpick' },
      h('input', {
        type: 'checkbox',
        checked: chosen.has(key),
        onchange: (e) => {
          if (e.target.checked) chosen.add(key);
          else chosen.delete(key);
          onChange([...chosen].join(','));
        },
      }),
      key,
    );
  return h(
    'details',
    { class: 'columns' },
    h('summary', {}, 'Columns'),
    h(
      'div',
      {},
      h('strong', {}, 'config'),
      facets.columns.config.map((k) => colBox(`config.${k}`)),
    ),
    h(
      'div',
      {},
      h('strong', {}, 'summary'),
      facets.columns.summary.map((k) => colBox(`summary.${k}`)),
    ),
  );
}

/** The columns whose values on this page are all numbers (NaN and infinities included): they are right-aligned. */
export function numericColumns(columns, runs) {
  const isNum = (v) => typeof v === 'number' || v === 'NaN' || v === 'Infinity' || v === '-Infinity';
  return new Set(
    columns.filter((c) => {
      const vs = runs.map((r) => r.values?.[c]).filter((v) => v !== undefined && v !== null);
      return vs.length > 0 && vs.every(isNum);
    }),
  );
}
