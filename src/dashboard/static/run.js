// A run: header, a chart per metric (server-downsampled report specs), custom panels, media,
// config, summary, alerts and artifacts. A running run is polled and redrawn as rows arrive.
import { h, render, path, fmtTime, fmtDuration, stateBadge, kvTable, section, crumbs } from './dom.js';
import { getJson, projectApi } from './api.js';
import { chartCard, loadVega } from './charts.js';
import { mediaSection, alertsSection, artifactsSection } from './run-sections.js';
import { panelsSection } from './panels.js';

const POLL_MS = 1500;

export async function runView(main, entity, project, runId) {
  const api = `${projectApi(entity, project)}/runs/${encodeURIComponent(runId)}`;
  loadVega(); // start fetching the chart library while the data loads
  // A long run not yet read by the server comes first as a sampled preview, then in full.
  const chartsReq = getJson(`${api}/charts?preview=1`);
  const detailReq = getJson(api);
  // The charts go up as soon as their data is here; the rest of the page fills in around them.
  const chartsGrid = h('div', { class: 'charts', id: 'charts' });
  const head = h('div', { id: 'run-head' });
  const rest = h('div', { id: 'run-rest' });
  render(main, head, section('Charts', chartsGrid), rest);
  const stateEl = h('span', { id: 'run-state' });
  const stepsEl = h('span', { id: 'run-rows' });
  const durEl = h('span', {});
  const mediaBox = h('div', { id: 'media' });
  const summaryBox = h('div', { id: 'summary' });
  const showDetail = (detail) => {
    const run = detail.run;
    crumbs([['Projects', '/'], [project, path(entity, project)], [run.name]]);
    document.title = `${run.name} · ${project}`;
    stateEl.replaceChildren(stateBadge(run.state));
    stepsEl.textContent = String(run.historyCount);
    durEl.textContent = fmtDuration(run.duration);
    summaryBox.replaceChildren(kvTable(detail.summary));
    render(
      head,
      h('h1', { id: 'run-title' }, run.name),
      h(
        'div',
        { class: 'facts' },
        stateEl,
        h('span', {}, 'id ', h('code', {}, run.id)),
        h('span', {}, 'rows ', stepsEl),
        h('span', {}, 'created ', fmtTime(run.createdAt)),
        h('span', {}, 'duration ', durEl),
        run.group ? h('span', {}, 'group ', run.group) : null,
        run.jobType ? h('span', {}, 'job ', run.jobType) : null,
        run.sweepId ? h('a', { href: path(entity, project, 'sweeps', run.sweepId) }, `sweep ${run.sweepId}`) : null,
        (run.tags ?? []).map((t) => h('span', { class: 'tag' }, t)),
      ),
      run.notes ? h('p', { class: 'notes' }, run.notes) : null,
    );
    render(
      rest,
      loggedChartsSection(detail.loggedCharts ?? []),
      panelsSection(entity, project, runId, detail.panels),
      section('Media', mediaBox),
      h('div', { class: 'two' }, section('Config', kvTable(detail.config)), section('Summary', summaryBox)),
      alertsSection(detail.alerts),
      artifactsSection(detail.artifacts),
    );
    return run;
  };

  const cards = new Map();
  async function drawCharts(data) {
    for (const c of data.charts) {
      let card = cards.get(c.metric);
      if (!card) {
        card = chartCard(c.metric);
        cards.set(c.metric, card);
        chartsGrid.append(card.card);
      }
      await card.draw(c.spec); // in order: the first chart appears as soon as it is drawn
    }
    if (data.charts.length === 0) chartsGrid.replaceChildren(h('p', { class: 'muted' }, 'No numeric metrics logged yet.'));
  }
  const drawn = chartsReq.then(async (first) => {
    await drawCharts(first);
    if (first.preview) await drawCharts(await getJson(`${api}/charts`));
  });
  drawn.catch(() => {}); // a missing run is reported once, by the detail request below
  const run = showDetail(await detailReq);
  await drawn.catch(() => {});
  // Media after the charts: listing them reads the whole history, which would delay the first chart.
  mediaSection(mediaBox, api);

  let seen = run.historyCount;
  let state = run.state;
  const poll = async () => {
    if (state !== 'running' && state !== 'pending') return;
    try {
      const s = await getJson(`${api}/status`);
      durEl.textContent = fmtDuration(s.duration);
      if (s.historyCount !== seen || s.state !== state) {
        seen = s.historyCount;
        state = s.state;
        stateEl.replaceChildren(stateBadge(s.state));
        stepsEl.textContent = String(s.historyCount);
        await drawCharts(await getJson(`${api}/charts`));
        const d = await getJson(api);
        summaryBox.replaceChildren(kvTable(d.summary));
        mediaSection(mediaBox, api);
      }
    } catch {
      // the server may be restarting; try again on the next tick
    }
    setTimeout(poll, POLL_MS);
  };
  setTimeout(poll, POLL_MS);
}

// Charts the run logged with chart presets (confusion matrix, ROC, PR, ...): W&B's custom charts.
function loggedChartsSection(charts) {
  if (charts.length === 0) return null;
  const grid = h('div', { class: 'charts', id: 'logged-charts' });
  for (const c of charts) {
    const card = chartCard(c.title);
    card.card.setAttribute('data-logged-chart', c.key);
    grid.append(card.card);
    void card.draw(c.spec);
  }
  return section('Logged charts', grid);
}
