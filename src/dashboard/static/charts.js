// Vega-Lite in the browser with the same specs as the report action. Vega runs with its
// expression interpreter (ast: true), so the page needs no 'unsafe-eval' in its CSP.
import { h } from './dom.js';

let loading;
function script(src) {
  return new Promise((ok, fail) => {
    const s = document.createElement('script');
    s.src = src;
    s.onload = ok;
    s.onerror = () => fail(new Error(`cannot load ${src}`));
    document.head.append(s);
  });
}

/** Loads Vega, Vega-Lite, the interpreter and vega-embed once (in dependency order). */
export function loadVega() {
  loading ??= (async () => {
    await script('/vendor/vega.min.js');
    await Promise.all([script('/vendor/vega-lite.min.js'), script('/vendor/vega-interpreter.min.js')]);
    await script('/vendor/vega-embed.min.js');
  })();
  return loading;
}

/** Renders a spec into `el` (replacing what was there); returns the view's finalize function. */
export async function embed(el, spec) {
  await loadVega();
  const target = h('div', { class: 'vega' });
  const result = await window.vegaEmbed(target, spec, { actions: false, ast: true, renderer: 'svg', tooltip: { theme: 'light' } });
  el.replaceChildren(target);
  return () => result.finalize();
}

/** A chart card: title from the metric, the chart inside, an error as text. */
export function chartCard(title) {
  const body = h('div', { class: 'chart-body' }, h('span', { class: 'muted' }, 'drawing…'));
  const card = h('div', { class: 'chart', 'data-metric': title, role: 'figure', 'aria-label': title }, body);
  let finalize;
  return {
    card,
    async draw(spec) {
      try {
        const f = await embed(body, spec);
        finalize?.();
        finalize = f;
      } catch (err) {
        body.replaceChildren(h('p', { class: 'error' }, `chart failed: ${err.message}`));
      }
    },
  };
}
