// A sweep's parallel coordinates drawn as SVG on the sweep's own scales (axes from the server: a
// log distribution on a log axis, a uniform one linear, a list categorical), one line per run
// coloured by the metric, with brushing: drag along an axis to keep the runs inside the range.
import { fmtValue, svgEl } from './dom.js';

const VIRIDIS = ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'];
const TOP = 44;
const BOTTOM = 24;
const HEIGHT = 380;

/** Up to ~6 round ticks over [lo, hi] (steps of 1, 2 or 5 times a power of ten). */
export function linearTicks(lo, hi) {
  if (lo === hi) return [lo];
  const raw = (hi - lo) / 5;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((st) => st >= raw) ?? 10 * p;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** Powers of ten inside [lo, hi]; with fewer than two, their 2x and 5x multiples too; else the ends. */
export function logTicks(lo, hi) {
  const out = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    const p = 10 ** e;
    if (p >= lo * (1 - 1e-9) && p <= hi * (1 + 1e-9)) out.push(Number(p.toPrecision(12)));
  }
  if (out.length >= 2) return out;
  const more = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++)
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** e).toPrecision(12));
      if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) more.push(v);
    }
  return more.length >= 2 ? more : [lo, hi];
}

/** A scale from an axis description: value -> [0, 1] (undefined when the value has no place). */
export function scaleOf(axis) {
  if (axis.scale === 'categorical') {
    const keys = (axis.values ?? []).map((v) => JSON.stringify(v) ?? 'null');
    const n = keys.length;
    const at = (i) => (n <= 1 ? 0.5 : i / (n - 1));
    return {
      pos: (v) => {
        const i = keys.indexOf(JSON.stringify(v) ?? 'null');
        return i < 0 ? undefined : at(i);
      },
      ticks: (axis.values ?? []).map((v, i) => ({ pos: at(i), label: fmtValue(v) })).filter((_, i) => i % Math.max(1, Math.ceil(n / 12)) === 0),
    };
  }
  let [lo, hi] = axis.domain;
  const log = axis.scale === 'log';
  if (lo === hi) [lo, hi] = log ? [lo / 2, hi * 2] : [lo - (Math.abs(lo) || 1) / 10, hi + (Math.abs(hi) || 1) / 10];
  const f = log ? Math.log10 : (v) => v;
  const pos = (v) => (typeof v !== 'number' || !Number.isFinite(v) || (log && v <= 0) ? undefined : (f(v) - f(lo)) / (f(hi) - f(lo)));
  const ticks = (log ? logTicks(lo, hi) : linearTicks(lo, hi)).map((v) => ({ pos: pos(v), label: fmtValue(v), value: v }));
  return { pos, ticks, inverse: (p) => (log ? 10 ** (f(lo) + p * (f(hi) - f(lo))) : lo + p * (hi - lo)) };
}

function colour(t) {
  if (t === undefined) return '#9ca3af';
  const i = Math.min(VIRIDIS.length - 1, Math.max(0, Math.round(t * (VIRIDIS.length - 1))));
  return VIRIDIS[i];
}

/**
 * The chart: `axes` (parameters, then the metric's own linear axis is added), `runs` ({id, name,
 * params, metric}), `bestId`; `onBrush(ids)` gets the ids inside every brush (all runs when none).
 */
export function parallelChart({ metric, axes, runs, bestId, width, onBrush, initial }) {
  const metricValues = runs.map((r) => r.metric).filter((v) => typeof v === 'number' && Number.isFinite(v));
  const metricAxis = metricValues.length
    ? { name: metric, scale: 'linear', distribution: null, domain: [Math.min(...metricValues), Math.max(...metricValues)], metric: true }
    : { name: metric, scale: 'categorical', values: [], metric: true };
  const all = [...axes, metricAxis];
  const scales = all.map(scaleOf);
  const left = 70;
  const right = 90;
  const gap = all.length > 1 ? (width - left - right) / (all.length - 1) : 0;
  const xOf = (i) => left + i * gap;
  const plotH = HEIGHT - TOP - BOTTOM;
  const yOf = (p) => TOP + (1 - p) * plotH;
  const valueOf = (r, i) => (i === all.length - 1 ? r.metric : r.params[all[i].name]);
  const mScale = scales[all.length - 1];

  const title = `Parallel coordinates: ${axes.map((a) => a.name).join(', ')} against ${metric}`;
  const svg = svgEl(
    'svg',
    { width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, role: 'img', 'aria-label': title, class: 'parallel' },
    svgEl('title', {}, title),
  );
  const linesG = svgEl('g', { class: 'lines' });
  const paths = runs.map((r) => {
    let d = '';
    let pen = false;
    all.forEach((_, i) => {
      const p = scales[i].pos(valueOf(r, i));
      if (p === undefined) {
        pen = false;
        return;
      }
      d += `${pen ? 'L' : 'M'}${xOf(i).toFixed(1)},${yOf(p).toFixed(1)}`;
      pen = true;
    });
    const tip = `${r.name}: ${all.map((a, i) => `${a.name} = ${fmtValue(valueOf(r, i))}`).join(', ')}`;
    const path = svgEl('path', {
      d,
      class: `run-line${r.id === bestId ? ' best' : ''}`,
      'data-run': r.id,
      stroke: colour(mScale.pos(r.metric)),
      fill: 'none',
    });
    path.append(svgEl('title', {}, tip));
    return path;
  });
  // The best run is drawn last, on top.
  paths.sort((a, b) => Number(a.classList.contains('best')) - Number(b.classList.contains('best'))).forEach((p) => linesG.append(p));
  svg.append(linesG);

  const brushes = new Map(); // axis index -> [p0, p1] in [0, 1]
  for (const [name, b] of initial ?? []) {
    const i = all.findIndex((a) => a.name === name);
    if (i >= 0) brushes.set(i, b);
  }
  const brushRects = [];
  const apply = () => {
    const inside = new Set();
    runs.forEach((r, k) => {
      const ok = [...brushes].every(([i, [a, b]]) => {
        const p = scales[i].pos(valueOf(r, i));
        return p !== undefined && p >= a - 1e-9 && p <= b + 1e-9;
      });
      if (ok) inside.add(r.id);
      paths.find((p) => p.getAttribute('data-run') === runs[k].id)?.classList.toggle('dimmed', !ok);
    });
    brushRects.forEach((rect, i) => {
      const b = brushes.get(i);
      rect.setAttribute('visibility', b ? 'visible' : 'hidden');
      if (b) {
        rect.setAttribute('y', String(yOf(b[1])));
        rect.setAttribute('height', String(Math.max(1, yOf(b[0]) - yOf(b[1]))));
      }
    });
    const ranges = [...brushes].map(([i, [a, b]]) => {
      const sc = scales[i];
      if (!sc.inverse)
        return `${all[i].name} (${sc.ticks
          .filter((t) => t.pos >= a - 1e-9 && t.pos <= b + 1e-9)
          .map((t) => t.label)
          .join(', ')})`;
      return `${all[i].name} ${fmtValue(Number(sc.inverse(a).toPrecision(4)))}–${fmtValue(Number(sc.inverse(b).toPrecision(4)))}`;
    });
    onBrush?.(inside, ranges);
  };

  all.forEach((axis, i) => {
    const x = xOf(i);
    const g = svgEl('g', { class: 'axis', 'data-axis': axis.name, 'data-scale': axis.scale, transform: `translate(${x},0)` });
    g.append(svgEl('line', { x1: 0, x2: 0, y1: TOP, y2: TOP + plotH, class: 'axis-line' }));
    g.append(svgEl('text', { x: 0, y: TOP - 26, class: 'axis-name', 'text-anchor': 'middle' }, axis.name));
    const scaleLabel = axis.metric ? 'metric' : axis.scale === 'categorical' ? 'values' : `${axis.scale}${axis.distribution ? ` · ${axis.distribution}` : ''}`;
    g.append(svgEl('text', { x: 0, y: TOP - 12, class: 'axis-scale', 'text-anchor': 'middle' }, scaleLabel));
    for (const t of scales[i].ticks) {
      if (t.pos === undefined) continue;
      const tick = svgEl('g', { class: 'tick', 'data-value': t.value ?? t.label });
      tick.append(svgEl('line', { x1: -4, x2: 0, y1: yOf(t.pos), y2: yOf(t.pos) }));
      tick.append(svgEl('text', { x: -7, y: yOf(t.pos) + 4, 'text-anchor': 'end' }, t.label));
      g.append(tick);
    }
    const brushRect = svgEl('rect', { x: -9, width: 18, class: 'brush', visibility: 'hidden' });
    brushRects.push(brushRect);
    g.append(brushRect);
    const area = svgEl('rect', {
      x: -14,
      y: TOP - 2,
      width: 28,
      height: plotH + 4,
      class: 'brush-area',
      tabindex: 0,
      role: 'slider',
      'aria-label': `Brush on ${axis.name}: drag along the axis to keep runs in a range; Escape clears`,
      'aria-valuetext': 'no range',
    });
    let start;
    const pAt = (e) => {
      const box = svg.getBoundingClientRect();
      return Math.min(1, Math.max(0, 1 - (e.clientY - box.top - TOP) / plotH));
    };
    area.addEventListener('pointerdown', (e) => {
      start = pAt(e);
      area.setPointerCapture?.(e.pointerId);
      e.preventDefault();
    });
    area.addEventListener('pointermove', (e) => {
      if (start === undefined) return;
      const p = pAt(e);
      brushes.set(i, [Math.min(start, p), Math.max(start, p)]);
      apply();
    });
    area.addEventListener('pointerup', (e) => {
      if (start === undefined) return;
      const p = pAt(e);
      if (Math.abs(p - start) * plotH < 3)
        brushes.delete(i); // a click clears this axis's brush
      else brushes.set(i, [Math.min(start, p), Math.max(start, p)]);
      start = undefined;
      area.setAttribute('aria-valuetext', brushes.has(i) ? 'range selected' : 'no range');
      apply();
    });
    area.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return;
      brushes.delete(i);
      area.setAttribute('aria-valuetext', 'no range');
      apply();
    });
    g.append(area);
    svg.append(g);
  });

  // The metric's colour legend, beside its axis.
  const gid = `pc-grad-${Math.random().toString(36).slice(2, 8)}`;
  const grad = svgEl('linearGradient', { id: gid, x1: 0, y1: 1, x2: 0, y2: 0 });
  VIRIDIS.forEach((c, k) => grad.append(svgEl('stop', { offset: k / (VIRIDIS.length - 1), 'stop-color': c })));
  svg.append(svgEl('defs', {}, grad));
  svg.append(svgEl('rect', { x: width - 30, y: TOP, width: 10, height: plotH, fill: `url(#${gid})`, class: 'legend' }));
  if (metricValues.length) {
    svg.append(svgEl('text', { x: width - 25, y: TOP - 4, 'text-anchor': 'middle', class: 'axis-scale' }, fmtValue(Math.max(...metricValues))));
    svg.append(svgEl('text', { x: width - 25, y: TOP + plotH + 13, 'text-anchor': 'middle', class: 'axis-scale' }, fmtValue(Math.min(...metricValues))));
  }

  if (brushes.size > 0) queueMicrotask(apply);
  return {
    svg,
    /** The brushes by axis name (to keep them across a redraw). */
    brushes: () => new Map([...brushes].map(([i, b]) => [all[i].name, b])),
    clear() {
      brushes.clear();
      apply();
    },
  };
}
