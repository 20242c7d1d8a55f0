// Custom panels: Vega-Lite specs saved per project, drawn over this run's history rows. Each can be
// edited (the form fills with it; a new name renames it) or deleted, and the last change undone.
import { h, section } from './dom.js';
import { getJson, postJson, projectApi } from './api.js';
import { chartCard } from './charts.js';

const EXAMPLE = { mark: 'point', encoding: { x: { field: '_step', type: 'quantitative' }, y: { field: 'loss', type: 'quantitative' } } };

export function panelsSection(entity, project, runId, panels) {
  const api = projectApi(entity, project);
  const grid = h('div', { class: 'charts', id: 'panels' });
  let rows;
  const history = () => (rows ??= getJson(`${api}/runs/${encodeURIComponent(runId)}/history?maxRows=2000`).then((b) => b.rows));
  const cardOf = (name) => grid.querySelector(`[data-panel="${CSS.escape(name)}"]`);

  const name = h('input', { type: 'text', id: 'panel-name', placeholder: 'Panel name', maxlength: 128, 'aria-label': 'Panel name' });
  const text = h('textarea', { id: 'panel-spec', rows: 7, spellcheck: 'false', 'aria-label': 'Panel Vega-Lite spec (JSON)' });
  text.value = JSON.stringify(EXAMPLE, null, 2);
  const message = h('p', { class: 'muted', id: 'panel-message', 'aria-live': 'polite' });
  const undoBtn = h('button', { type: 'button', id: 'panel-undo', hidden: true }, 'Undo');
  const cancelBtn = h('button', { type: 'button', id: 'panel-cancel', hidden: true }, 'Cancel editing');
  const save = h('button', { type: 'submit', id: 'panel-save' }, 'Save panel');
  const details = h('details', { class: 'add-panel' }, h('summary', {}, 'Add a panel (Vega-Lite over this run’s history rows)'));
  let editing = null; // the panel being edited, or null when adding
  let undo = null; // () => Promise<void> reverting the last change

  const say = (textOf, kind = 'muted') => {
    message.textContent = textOf;
    message.className = kind;
  };
  const offerUndo = (label, fn) => {
    undo = fn;
    undoBtn.hidden = false;
    undoBtn.setAttribute('aria-label', `Undo: ${label}`);
  };
  const startEdit = (panel) => {
    editing = panel;
    name.value = panel.name;
    text.value = JSON.stringify(panel.spec, null, 2);
    details.open = true;
    save.textContent = `Save changes to “${panel.name}”`;
    cancelBtn.hidden = false;
    name.focus();
  };
  const stopEdit = () => {
    editing = null;
    save.textContent = 'Save panel';
    cancelBtn.hidden = true;
  };

  const show = async (panel, before) => {
    const old = cardOf(panel.name);
    const card = chartCard(panel.name);
    card.card.setAttribute('data-panel', panel.name);
    card.card.prepend(
      h(
        'div',
        { class: 'panel-tools' },
        h('button', { type: 'button', class: 'panel-edit', 'aria-label': `Edit panel ${panel.name}`, onclick: () => startEdit(panel) }, 'Edit'),
        h('button', { type: 'button', class: 'panel-delete', 'aria-label': `Delete panel ${panel.name}`, onclick: () => remove(panel) }, 'Delete'),
      ),
    );
    if (old) old.replaceWith(card.card);
    else if (before) grid.insertBefore(card.card, before);
    else grid.append(card.card);
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
  panels.forEach((p) => show(p));

  const put = async (panel) => (await postJson(`${api}/panels`, { name: panel.name, spec: panel.spec })).panel;
  const drop = (panelName) => postJson(`${api}/panels/delete`, { name: panelName });

  async function remove(panel) {
    try {
      const next = cardOf(panel.name)?.nextElementSibling ?? null;
      await drop(panel.name);
      cardOf(panel.name)?.remove();
      if (editing?.name === panel.name) stopEdit();
      say(`Deleted “${panel.name}” from every run of ${project}.`);
      offerUndo(`delete ${panel.name}`, async () => {
        await show(await put(panel), next && next.isConnected ? next : null);
        say(`Restored “${panel.name}”.`);
      });
    } catch (err) {
      say(err.message, 'error');
    }
  }

  undoBtn.addEventListener('click', async () => {
    const fn = undo;
    undo = null;
    undoBtn.hidden = true;
    try {
      await fn?.();
    } catch (err) {
      say(err.message, 'error');
    }
  });
  cancelBtn.addEventListener('click', () => {
    stopEdit();
    say('');
  });

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
          say('The specification is not valid JSON.', 'error');
          return;
        }
        const was = editing;
        try {
          const panel = await put({ name: name.value, spec });
          const renamed = was && was.name !== panel.name;
          if (renamed) {
            const oldCard = cardOf(was.name);
            await drop(was.name);
            await show(panel, oldCard);
            oldCard?.remove();
          } else await show(panel);
          stopEdit();
          say(was ? `Saved changes to “${panel.name}”.` : `Saved “${panel.name}”: it shows on every run of ${project}.`);
          if (was)
            offerUndo(`edit ${panel.name}`, async () => {
              if (renamed) {
                const card = cardOf(panel.name);
                await show(await put(was), card);
                await drop(panel.name);
                card?.remove();
              } else await show(await put(was));
              say(`Restored “${was.name}” as it was.`);
            });
        } catch (err) {
          say(err.message, 'error');
        }
      },
    },
    name,
    text,
    h('div', { class: 'toolbar' }, save, cancelBtn),
  );
  details.append(form);
  return section('Custom panels', grid, h('div', { class: 'toolbar' }, message, undoBtn), details);
}
