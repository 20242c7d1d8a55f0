import { h, render, path, fmtTime, crumbs } from './dom.js';
import { getJson } from './api.js';

export async function projectsView(main) {
  crumbs([['Projects']]);
  const { projects } = await getJson('/api/projects');
  document.title = 'Projects · wandb-skill';
  const rows = projects.map((p) =>
    h(
      'tr',
      {},
      h('td', {}, h('a', { href: path(p.entity, p.project) }, p.project)),
      h('td', {}, p.entity),
      h('td', { class: 'num' }, p.runs),
      h('td', { class: 'num' }, p.running),
      h('td', {}, fmtTime(p.lastCreatedAt)),
    ),
  );
  render(
    main,
    h('h1', {}, 'Projects'),
    projects.length === 0
      ? h('p', { class: 'muted' }, 'No runs in this store yet.')
      : h(
          'table',
          { class: 'grid' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Project'), h('th', {}, 'Entity'), h('th', {}, 'Runs'), h('th', {}, 'Running'), h('th', {}, 'Last run'))),
          h('tbody', {}, rows),
        ),
  );
}
