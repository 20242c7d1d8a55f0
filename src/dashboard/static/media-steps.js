// Media over steps: a histogram key as a heat strip (a column per logged step, the bins' counts as
// shade, on one value axis) with a step slider showing that step's histogram; audio keys with a step
// slider like images.
import { h, svgEl } from './dom.js';

const short = (v) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(1) : String(Number(v.toPrecision(3))));

/** A slider over `steps` (the last chosen at first) calling `show(step, index)`; none for one step. */
export function stepSlider(key, steps, show) {
  const label = h('output', { class: 'muted', 'data-step-label': key });
  const slider = h('input', {
    type: 'range',
    min: 0,
    max: steps.length - 1,
    step: 1,
    value: String(steps.length - 1),
    'aria-label': `Step of ${key}`,
    'data-media-key': key,
  });
  const update = () => {
    const i = Number(slider.value);
    label.textContent = `step ${steps[i]} (${i + 1} of ${steps.length})`;
    show(steps[i], i);
  };
  slider.addEventListener('input', update);
  return { el: steps.length > 1 ? h('div', { class: 'toolbar' }, slider, label) : label, update, slider };
}

/** Audio players of one key, a step at a time. */
export function audioStepper(key, list, caption) {
  const steps = [...new Set(list.map((m) => m.step))].sort((a, b) => a - b);
  const box = h('div', { class: 'gallery' });
  const s = stepSlider(key, steps, (step) =>
    box.replaceChildren(
      ...list
        .filter((m) => m.step === step)
        .map((m) =>
          h(
            'figure',
            {},
            h('audio', { controls: true, src: m.url, 'aria-label': `Audio ${key} at step ${step}${m.caption ? `: ${m.caption}` : ''}` }),
            caption(m),
          ),
        ),
    ),
  );
  s.update();
  return h('div', { class: 'stepper', 'data-key': key }, h('h3', {}, key), s.el, box);
}

/** One step's histogram as SVG bars over the strip's value range. */
function bars(m, lo, hi) {
  const W = 420;
  const H = 140;
  const max = Math.max(1, ...m.values);
  const x = (v) => ((v - lo) / (hi - lo || 1)) * W;
  const el = svgEl('svg', { width: W, height: H + 16, role: 'img', 'aria-label': `Histogram of ${m.key} at step ${m.step}`, class: 'hist-bars' });
  m.values.forEach((c, i) => {
    const hgt = (c / max) * H;
    el.append(svgEl('rect', { x: x(m.bins[i]), width: Math.max(1, x(m.bins[i + 1]) - x(m.bins[i]) - 0.5), y: H - hgt, height: hgt, class: 'bar' }));
  });
  for (const v of [lo, (lo + hi) / 2, hi]) {
    const t = svgEl('text', { x: Math.min(W - 2, Math.max(2, x(v))), y: H + 13, 'text-anchor': v === lo ? 'start' : v === hi ? 'end' : 'middle' });
    t.textContent = short(v);
    el.append(t);
  }
  return el;
}

/** The heat strip and the per-step view of one histogram key (`list`: its media entries). */
export function histogramStrip(key, list) {
  const hs = list.filter((m) => Array.isArray(m.values) && Array.isArray(m.bins) && m.bins.length === m.values.length + 1).sort((a, b) => a.step - b.step);
  const steps = hs.map((m) => m.step);
  const lo = Math.min(...hs.map((m) => m.bins[0]));
  const hi = Math.max(...hs.map((m) => m.bins[m.bins.length - 1]));
  const rows = 64;
  const colW = Math.max(2, Math.min(24, Math.floor(640 / Math.max(1, hs.length))));
  const canvas = h('canvas', {
    width: colW * hs.length,
    height: rows * 3,
    class: 'heat-strip',
    role: 'img',
    'aria-label': `Histogram of ${key} over ${hs.length} steps (${steps[0]} to ${steps[steps.length - 1]}), values ${short(lo)} to ${short(hi)}`,
    'data-steps': hs.length,
  });
  const ctx = canvas.getContext('2d');
  const rowOf = (v) => Math.min(rows - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo || 1)) * rows)));
  hs.forEach((m, col) => {
    // Each bin's count spread over the strip rows it covers; shade by the step's own maximum.
    const cells = new Float64Array(rows);
    m.values.forEach((c, i) => {
      const a = rowOf(m.bins[i]);
      const b = rowOf(m.bins[i + 1] - (hi - lo) * 1e-9);
      for (let r = a; r <= b; r++) cells[r] += c / (b - a + 1);
    });
    const max = Math.max(...cells) || 1;
    cells.forEach((c, r) => {
      const t = c / max;
      ctx.fillStyle = `rgba(37, 99, 235, ${t === 0 ? 0 : 0.08 + 0.92 * t})`;
      ctx.fillRect(col * colW, (rows - 1 - r) * 3, colW, 3);
    });
  });
  const marker = h('div', { class: 'strip-marker' });
  const detail = h('div', { class: 'hist-detail' });
  const s = stepSlider(key, steps, (step, i) => {
    marker.style.left = `${i * colW}px`;
    marker.style.width = `${colW}px`;
    detail.replaceChildren(bars(hs[i], lo, hi));
  });
  canvas.addEventListener('click', (e) => {
    const i = Math.min(hs.length - 1, Math.max(0, Math.floor((e.offsetX / canvas.clientWidth) * hs.length)));
    s.slider.value = String(i);
    s.update();
  });
  s.update();
  return h(
    'div',
    { class: 'stepper hist-strip', 'data-key': key },
    h('h3', {}, `${key} over steps`),
    h(
      'div',
      { class: 'strip-row' },
      h('div', { class: 'strip-axis muted small' }, h('span', {}, short(hi)), h('span', {}, short(lo))),
      h('div', { class: 'strip-wrap' }, canvas, marker),
    ),
    h('p', { class: 'muted small' }, `steps ${steps[0]} – ${steps[steps.length - 1]} left to right; darker = more of that step’s values`),
    s.el,
    detail,
  );
}
