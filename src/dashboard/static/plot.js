// Line charts with uPlot (MIT, ~50 kB, canvas): built for long time series. Loaded only by pages
// that draw line charts. A chart takes lines (x, y, optional band) and draws them with hover values,
// drag to zoom, wheel to zoom, shift-drag to pan, double-click or the reset button to zoom out, and
// a log scale on either axis. NaN and infinities break the line and are named in the hover box.
import { h, render } from './dom.js';
import { fmtNum } from './series.js';

let loading;
export function loadUPlot() {
  loading ??= new Promise((ok, fail) => {
    const css = document.createElement('link');
    css.rel = 'stylesheet';
    css.href = '/vendor/uPlot.min.css';
    document.head.append(css);
    const s = document.createElement('script');
    s.src = '/vendor/uPlot.iife.min.js';
    s.onload = () => ok(window.uPlot);
    s.onerror = () => fail(new Error('cannot load the chart library'));
    document.head.append(s);
  });
  return loading;
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const PALETTE2 = ['#5b8ff9', '#f6903d', '#61ddaa', '#e8684a', '#7262fd', '#9a6b4b', '#ff99c3', '#6dc8ec', '#c2c91a', '#269a99'];
export const colorOf = (i) => (i < 10 ? PALETTE[i] : PALETTE2[i % 10]);
const fade = (hex, a) => {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${n >> 16},${(n >> 8) & 255},${n & 255},${a})`;
};

/** y values fit to draw: non-finite (and, on a log axis, non-positive) values become gaps. */
const drawable = (ys, log) => ys.map((y) => (y === null || y === undefined || !Number.isFinite(y) || (log && y <= 0) ? null : y));

/**
 * Draws `lines` ([{label, color, xs, ys, raw?, lo?, hi?}], raw = the unsmoothed values for hover)
 * into `el`; returns {destroy}. Options: title, xLabel, logX, logY, time (x in epoch seconds).
 */
export function drawChart(uPlot, el, lines, o) {
  const tables = [];
  const series = [{ label: o.xLabel }];
  const bands = [];
  const meta = [];
  for (const l of lines) {
    const okX = l.xs.map((x, i) => i).filter((i) => Number.isFinite(l.xs[i]) && (!o.logX || l.xs[i] > 0));
    const pick = (arr) => okX.map((i) => arr[i]);
    const t = [pick(l.xs), drawable(pick(l.ys), o.logY)];
    series.push({ label: l.label, stroke: l.color, width: l.width ?? 1.5, spanGaps: false, points: { show: false } });
    meta.push({ line: l, raw: l.raw ? pick(l.raw) : pick(l.ys), extra: l.extra ? pick(l.extra) : undefined });
    if (l.lo && l.hi) {
      t.push(drawable(pick(l.hi), o.logY), drawable(pick(l.lo), o.logY));
      const hiIdx = series.length;
      series.push({ label: `${l.label} max`, stroke: fade(l.color, 0.25), width: 0.5, points: { show: false } });
      series.push({ label: `${l.label} min`, stroke: fade(l.color, 0.25), width: 0.5, points: { show: false } });
      bands.push({ series: [hiIdx, hiIdx + 1], fill: fade(l.color, 0.15) });
      meta.push(null, null);
    }
    tables.push(t);
  }
  const data = tables.length === 0 ? [[]] : uPlot.join(tables);
  // For each line, its own point index at each aligned x (the hover box reads raw values by it).
  meta.forEach((m, k) => {
    if (!m) return;
    const ys = data[k + 1];
    const own = new Int32Array(ys.length).fill(-1);
    let c = -1;
    for (let j = 0; j < ys.length; j++) if (ys[j] !== undefined) own[j] = ++c;
    m.own = own;
  });
  const tip = h('div', { class: 'plot-tip', role: 'status', 'aria-live': 'off' });
  const width = Math.max(280, el.clientWidth - 4);
  const opts = {
    width,
    height: o.height ?? 240,
    legend: { show: false },
    cursor: { drag: { x: true, y: false }, points: { size: 5 } },
    scales: {
      x: { time: !!o.time, distr: o.logX ? 3 : 1 },
      y: { distr: o.logY ? 3 : 1 },
    },
    axes: [{ label: o.xLabel, labelSize: 18, size: 36 }, { size: 56 }],
    series,
    bands,
    hooks: {
      setCursor: [(u) => showTip(u, tip, meta, o)],
      // The visible x range, on the element: tests and scripts read it without reaching into the canvas.
      setScale: [
        (u, key) => {
          if (key !== 'x') return;
          el.dataset.xmin = String(u.scales.x.min);
          el.dataset.xmax = String(u.scales.x.max);
        },
      ],
    },
  };
  const host = h('div', { class: 'plot-host' });
  const named = lines.filter((l) => !l.label.endsWith('(raw)'));
  const legend = h(
    'ul',
    { class: 'plot-legend', 'aria-label': 'Legend' },
    named.slice(0, 8).map((l) => h('li', {}, h('span', { class: 'swatch', 'data-color': l.color }), l.label)),
    named.length > 8 ? h('li', { class: 'muted' }, `+${named.length - 8} more (hover for values)`) : null,
  );
  for (const sw of legend.querySelectorAll('.swatch')) sw.style.background = sw.dataset.color;
  el.replaceChildren(host, tip, legend);
  const u = new uPlot(opts, data, host);
  el.dataset.logx = String(!!o.logX);
  el.dataset.logy = String(!!o.logY);
  panAndWheel(u);
  const ro = new ResizeObserver(() => {
    const w = Math.max(280, el.clientWidth - 4);
    if (Math.abs(w - u.width) > 8) u.setSize({ width: w, height: u.height });
  });
  ro.observe(el);
  return {
    u,
    reset: () => u.setData(u.data, true),
    destroy() {
      ro.disconnect();
      u.destroy();
    },
  };
}

function showTip(u, tip, meta, o) {
  const i = u.cursor.idx;
  if (i === null || i === undefined) {
    tip.replaceChildren();
    tip.classList.remove('on');
    return;
  }
  const x = u.data[0][i];
  const rows = [];
  for (let s = 1; s < u.series.length; s++) {
    const m = meta[s - 1];
    if (!m) continue;
    const at = nearestRaw(u, s, i);
    if (at === undefined) continue;
    const k = m.own[at];
    rows.push({ m, v: u.data[s][at], raw: m.raw[k], k });
  }
  rows.sort((a, b) => (b.v ?? -Infinity) - (a.v ?? -Infinity));
  const xText = o.time ? new Date(x * 1000).toISOString().replace('T', ' ').slice(0, 19) : fmtNum(x);
  render(
    tip,
    h('div', { class: 'tip-x' }, `${o.xLabel} ${xText}`),
    rows
      .slice(0, 12)
      .map((r) =>
        h(
          'div',
          { class: 'tip-row' },
          h('span', { class: 'swatch', 'data-color': r.m.line.color }),
          h('span', { class: 'tip-name' }, r.m.line.label),
          h('span', { class: 'tip-val' }, fmtNum(r.raw ?? r.v), r.m.extra ? h('span', { class: 'muted' }, ` ${r.m.extra[r.k] ?? ''}`) : null),
        ),
      ),
    rows.length > 12 ? h('div', { class: 'muted' }, `+${rows.length - 12} more`) : null,
  );
  for (const sw of tip.querySelectorAll('.swatch')) sw.style.background = sw.dataset.color;
  tip.classList.add('on');
}

// The run's value at the cursor: the index itself, or the closest defined one within a few points.
function nearestRaw(u, s, i) {
  const ys = u.data[s];
  for (let d = 0; d < 4; d++) {
    if (ys[i - d] !== undefined) return i - d;
    if (ys[i + d] !== undefined) return i + d;
  }
  return undefined;
}

function panAndWheel(u) {
  const over = u.over;
  over.addEventListener(
    'wheel',
    (e) => {
      e.preventDefault();
      const { min, max } = u.scales.x;
      if (min === undefined || max === undefined) return;
      const at = u.posToVal(e.offsetX, 'x');
      const f = e.deltaY < 0 ? 0.8 : 1.25;
      u.setScale('x', { min: at - (at - min) * f, max: at + (max - at) * f });
    },
    { passive: false },
  );
  over.addEventListener(
    'mousedown',
    (e) => {
      if (!e.shiftKey) return;
      e.stopPropagation();
      e.preventDefault();
      const { min, max } = u.scales.x;
      const x0 = e.clientX;
      const per = (max - min) / u.bbox.width;
      const move = (m) => {
        const dx = (m.clientX - x0) * per * devicePixelRatio;
        u.setScale('x', { min: min - dx, max: max - dx });
      };
      const up = () => {
        removeEventListener('mousemove', move);
        removeEventListener('mouseup', up);
      };
      addEventListener('mousemove', move);
      addEventListener('mouseup', up);
    },
    true,
  );
}
