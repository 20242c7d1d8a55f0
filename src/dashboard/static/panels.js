// Custom panels: Vega-Lite specs saved per project, drawn over this run's history rows.
import { h, section } from './dom.js';
import { getJson, postJson, projectApi } from './api.js';
import { chartCard } from './charts.js';

const EXAMPLE = { mark: 'point', encoding: { x: { field: '_step', type: 'quantitative' }, y: { field: 'loss', type: 'quantitative' } } };

export function panelsSection(entity, project, runId, panels) {
  const api = projectApi(entity, project);
  const grid = h('div', { class: 'charts', id: 'panels' });
  let rows;
  const history = () => (rows ??= getJson(`${api}/runs/${encodeURIComponent(runId)}/history?maxRows=2000`).then((b) => b.rows));
  const show = async (panel) => {
    const card = chartCard(panel.name);
    card.card.setAttribute('data-panel', panel.name);
    grid.append(card.card);
    const spec = {
      $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
      title: panel.name,
      width: 440,
      height: 240,
      ...panel.spec,
      data: { values: await history() },
    };
    await card.draw(spec);
  };
  panels.forEach(show);

  const name = h('input', { type: 'text', id: 'panel-name', placeholder: 'Panel name', maxlength: 128, 'aria-label': 'Panel name' });
  const text = h('textarea', { id: 'panel-spec', rows: 7, spellcheck: 'false', 'aria-label': 'Panel Vega-Lite spec (JSON)' });
  text.value = JSON.stringify(EXAMPLE, null, 2);
  const message = h('p', { class: 'muted', id: 'panel-message' });
  const save = h('button', { type: 'submit', id: 'panel-save' }, 'Save panel');
  const form = h(
    'form',
    {
      class: 'panel-form',
      onsubmit: async (e) => {
        e.preventDefault();
        let spec;
        try {
          spec = JSON.parse(text.value);
        } catch {
          message.textContent = 'The specification is not valid JSON.';
          message.className = 'error';
          return;
        }
        try {
          const { panel } = await postJson(`${api}/panels`, { name: name.value, spec });
          grid.querySelector(`[data-panel="${CSS.escape(panel.name)}"]`)?.remove();
          await show(panel);
          message.textContent = `Saved “${panel.name}”: it shows on every run of ${project}.`;
          message.className = 'muted';
        } catch (err) {
          message.textContent = err.message;
          message.className = 'error';
        }
      },
    },
    name,
    text,
    save,
    message,
  );
  return section('Custom panels', grid, h('details', { class: 'add-panel' }, h('summary', {}, 'Add a panel (Vega-Lite over this run’s history rows)'), form));
}
