// DOM building without innerHTML: every user string becomes a text node or an attribute value.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'checked' || k === 'selected' || k === 'value') el[k] = v;
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element (attributes set as given, null/undefined ones skipped; children appended, strings as text). */
export function svgEl(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const c of children) if (c !== null && c !== undefined) el.append(c);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/** Percent-encodes each path segment (the URL scheme of the skill's runUrl). */
export function path(...segments) {
  return '/' + segments.map((s) => encodeURIComponent(String(s))).join('/');
}

export function fmtTime(sec) {
  if (typeof sec !== 'number') return '';
  const d = new Date(sec * 1000);
  return d.toISOString().replace('T', ' ').slice(0, 19);
}

export function fmtDuration(sec) {
  if (typeof sec !== 'number' || !isFinite(sec)) return '';
  if (sec < 60) return `${sec.toFixed(1)}s`;
  const m = Math.floor(sec / 60),
    s = Math.floor(sec % 60);
  if (m < 60) return `${m}m ${s}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

export function fmtValue(v) {
  if (v === undefined) return '';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(5)));
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

export function stateBadge(state) {
  return h('span', { class: `state state-${String(state).replace(/[^a-z]/g, '')}` }, state);
}

/** A two-column key/value table of a (possibly nested) object, keys dotted. */
export function kvTable(obj, { skipUnderscore = true } = {}) {
  const rows = [];
  const walk = (o, prefix) => {
    for (const [k, v] of Object.entries(o ?? {})) {
      if (prefix === '' && skipUnderscore && k.startsWith('_')) continue;
      if (v && typeof v === 'object' && !Array.isArray(v) && !('_type' in v)) walk(v, `${prefix}${k}.`);
      else rows.push(h('tr', {}, h('th', {}, prefix + k), h('td', {}, v && typeof v === 'object' && '_type' in v ? `[${v._type}]` : fmtValue(v))));
    }
  };
  walk(obj, '');
  if (rows.length === 0) return h('p', { class: 'muted' }, 'Nothing here.');
  return h('table', { class: 'kv' }, h('tbody', {}, rows));
}

export function section(title, ...children) {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

export function crumbs(items) {
  const nav = clear(document.getElementById('crumbs'));
  items.forEach(([label, href], i) => {
    if (i > 0) nav.append(' / ');
    nav.append(href ? h('a', { href }, label) : h('span', {}, label));
  });
}

/** Replaces `el`'s content; null/false children are skipped (native append would print "null"). */
export function render(el, ...children) {
  return append(clear(el), children);
}

/** The project's tabs (runs, sweeps, artifacts, reports); here so those pages need not load the runs view. */
export function projectTabs(entity, project, active) {
  const tab = (label, href, key) => h('a', { href, class: key === active ? 'tab active' : 'tab' }, label);
  return h(
    'nav',
    { class: 'tabs' },
    tab('Runs', path(entity, project), 'runs'),
    tab('Sweeps', path(entity, project, 'sweeps'), 'sweeps'),
    tab('Artifacts', path(entity, project, 'artifacts'), 'artifacts'),
    tab('Reports', path(entity, project, 'reports'), 'reports'),
  );
}
