// Reports written for the project, with links to open them (served only from the store's folder).
import { h, render, path, fmtTime, crumbs, projectTabs } from './dom.js';
import { getJson, projectApi } from './api.js';

export async function reportsView(main, entity, project) {
  crumbs([['Projects', '/'], [project, path(entity, project)], ['reports']]);
  const { reports } = await getJson(`${projectApi(entity, project)}/reports`);
  render(
    main,
    h('h1', {}, 'Reports'),
    projectTabs(entity, project, 'reports'),
    reports.length === 0
      ? h('p', { class: 'muted' }, 'No reports written for this project yet.')
      : h(
          'table',
          { class: 'grid', id: 'reports' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Title'), h('th', {}, 'Format'), h('th', {}, 'Written'), h('th', {}, 'File'), h('th', {}, 'W&B'))),
          h(
            'tbody',
            {},
            reports.map((r) =>
              h(
                'tr',
                {},
                h('td', {}, h('a', { href: r.href, target: '_blank', rel: 'noopener' }, r.title)),
                h('td', {}, r.format),
                h('td', {}, fmtTime(r.createdAt)),
                h('td', {}, h('code', {}, r.path)),
                h('td', {}, r.url && /^https?:\/\//.test(r.url) ? h('a', { href: r.url, rel: 'noopener noreferrer' }, 'open') : ''),
              ),
            ),
          ),
        ),
  );
}
