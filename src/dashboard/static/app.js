// The page router: the server sends this shell for every page URL; the path picks the view.
import { h, render } from './dom.js';

const routes = [
  [/^\/$/, async (m, main) => (await import('./projects.js')).projectsView(main)],
  [/^\/([^/]+)\/([^/]+)\/?$/, async (m, main) => (await import('./runs.js')).runsView(main, m[1], m[2])],
  [/^\/([^/]+)\/([^/]+)\/runs\/([^/]+)\/?$/, async (m, main) => (await import('./run.js')).runView(main, m[1], m[2], m[3])],
  [/^\/([^/]+)\/([^/]+)\/compare\/?$/, async (m, main) => (await import('./compare.js')).compareView(main, m[1], m[2])],
  [/^\/([^/]+)\/([^/]+)\/sweeps\/?$/, async (m, main) => (await import('./sweep.js')).sweepsView(main, m[1], m[2])],
  [/^\/([^/]+)\/([^/]+)\/sweeps\/([^/]+)\/?$/, async (m, main) => (await import('./sweep.js')).sweepView(main, m[1], m[2], m[3])],
  [/^\/([^/]+)\/([^/]+)\/artifacts\/?$/, async (m, main) => (await import('./artifacts.js')).artifactsView(main, m[1], m[2])],
  [
    /^\/([^/]+)\/([^/]+)\/artifacts\/([^/]+)\/([^/]+)\/(v\d+)\/?$/,
    async (m, main) => (await import('./artifacts.js')).artifactView(main, m[1], m[2], m[3], m[4], m[5]),
  ],
  [/^\/([^/]+)\/([^/]+)\/reports\/?$/, async (m, main) => (await import('./reports.js')).reportsView(main, m[1], m[2])],
];

async function start() {
  const main = document.getElementById('main');
  // Pages with line charts (project, run, compare) start loading uPlot before their own module arrives.
  if (/^\/[^/]+\/[^/]+(\/runs\/[^/]+|\/compare)?\/?$/.test(location.pathname)) import('./plot.js').then((m) => m.loadUPlot()).catch(() => {});
  for (const [re, view] of routes) {
    const m = re.exec(location.pathname);
    if (!m) continue;
    let parts;
    try {
      parts = m.map((s, i) => (i === 0 ? s : decodeURIComponent(s)));
    } catch {
      break;
    }
    try {
      await view(parts, main);
    } catch (err) {
      render(main, h('p', { class: 'error' }, err.message ?? String(err)));
    }
    return;
  }
  render(main, h('h1', {}, 'Page not found'), h('p', {}, h('a', { href: '/' }, 'All projects')));
}

start();
