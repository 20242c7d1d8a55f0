import { h, render, path, fmtTime, crumbs } from './dom.js';
import { getJson } from './api.js';

export async function projectsView(main) {
  crumbs([['Projects']]);
  const { projects, registries = [] } = await getJson('/api/projects');
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
  // A registry (model-registry, ...) holds links, not runs: listed apart, each opening its collections.
  const registryTable =
    registries.length === 0
      ? null
      : h(
          'section',
          { class: 'card', id: 'registries', 'aria-label': 'Registries' },
          h('h2', {}, 'Registry'),
          h(
            'table',
            { class: 'grid' },
            h(
              'thead',
              {},
              h('tr', {}, h('th', {}, 'Registry'), h('th', { class: 'num' }, 'Collections'), h('th', { class: 'num' }, 'Links'), h('th', {}, 'Last linked')),
            ),
            h(
              'tbody',
              {},
              registries.map((r) =>
                h(
                  'tr',
                  { 'data-registry': r.project },
                  h('td', {}, h('a', { href: path('local', r.project, 'artifacts') }, r.project)),
                  h('td', { class: 'num' }, r.collections),
                  h('td', { class: 'num' }, r.links),
                  h('td', {}, fmtTime(r.lastLinkedAt)),
                ),
              ),
            ),
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
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, 'Project'),
              h('th', {}, 'Entity'),
              h('th', { class: 'num' }, 'Runs'),
              h('th', { class: 'num' }, 'Running'),
              h('th', {}, 'Last run'),
            ),
          ),
          h('tbody', {}, rows),
        ),
    registryTable,
  );
}
