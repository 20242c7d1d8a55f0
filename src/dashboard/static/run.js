// A run: header, a chart per metric (the workspace over this one run, uPlot), custom panels, media,
// config, summary, alerts and artifacts. A running run is polled and redrawn as rows arrive.
import { h, render, path, fmtTime, fmtDuration, stateBadge, kvTable, section, crumbs } from './dom.js';
import { getJson, projectApi } from './api.js';
import { chartCard } from './charts.js';
import { loadUPlot } from './plot.js';
import { workspace } from './workspace.js';
import { mediaSection, alertsSection, artifactsSection, overviewSection } from './run-sections.js';
import { panelsSection } from './panels.js';
import { isLive, livePoller } from './live.js';

export async function runView(main, entity, project, runId) {
  const api = `${projectApi(entity, project)}/runs/${encodeURIComponent(runId)}`;
  loadUPlot(); // start fetching the chart library while the data loads
  const ws = workspace(projectApi(entity, project), { runSet: () => new URLSearchParams({ runs: runId }), single: true });
  const wsReady = ws.refresh();
  const detailReq = getJson(api);
  const head = h('div', { id: 'run-head' });
  const rest = h('div', { id: 'run-rest' });
  render(main, head, section('Charts', ws.el), rest);
  const stateEl = h('span', { id: 'run-state' });
  const stepsEl = h('span', { id: 'run-rows' });
  const durEl = h('span', {});
  const mediaBox = h('div', { id: 'media' });
  const summaryBox = h('div', { id: 'summary' });
  const overviewBox = h('div', { id: 'overview-box' });
  const live = livePoller(() => tick(), { ms: 1500 });
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
        live.el,
      ),
      run.notes ? h('p', { class: 'notes' }, run.notes) : null,
    );
    render(
      rest,
      section('Overview', overviewBox),
      loggedChartsSection(detail.loggedCharts ?? []),
      panelsSection(entity, project, runId, detail.panels),
      section('Media', mediaBox),
      h('div', { class: 'two' }, section('Config', kvTable(detail.config)), section('Summary', summaryBox)),
      alertsSection(detail.alerts),
      artifactsSection(detail.artifacts),
    );
    return run;
  };

  const run = showDetail(await detailReq);
  await wsReady;
  // Media after the charts: listing them reads the whole history, which would delay the first chart.
  mediaSection(mediaBox, api);
  overviewSection(overviewBox, api, run);

  let seen = run.historyCount;
  let state = run.state;
  live.start(isLive(state));
  async function tick() {
    const s = await getJson(`${api}/status`);
    durEl.textContent = fmtDuration(s.duration);
    if (s.historyCount !== seen || s.state !== state) {
      seen = s.historyCount;
      state = s.state;
      stateEl.replaceChildren(stateBadge(s.state));
      stepsEl.textContent = String(s.historyCount);
      await ws.refresh();
      const d = await getJson(api);
      summaryBox.replaceChildren(kvTable(d.summary));
      mediaSection(mediaBox, api);
    }
    return isLive(s.state);
  }
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
