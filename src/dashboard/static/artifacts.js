// Artifacts: collections with versions and aliases, and one version with files and lineage.
import { h, render, path, fmtTime, fmtValue, kvTable, section, crumbs, projectTabs, svgEl } from './dom.js';
import { getJson, projectApi } from './api.js';

export async function artifactsView(main, entity, project) {
  crumbs([['Projects', '/'], [project, path(entity, project)], ['artifacts']]);
  const { artifacts } = await getJson(`${projectApi(entity, project)}/artifacts`);
  render(
    main,
    h('h1', {}, 'Artifacts'),
    projectTabs(entity, project, 'artifacts'),
    artifacts.length === 0
      ? h('p', { class: 'muted' }, 'No artifacts in this project.')
      : artifacts.map((a) =>
          section(
            `${a.name} (${a.type}${a.registry ? ', registry' : ''})`,
            h(
              'table',
              { class: 'grid' },
              h(
                'thead',
                {},
                h(
                  'tr',
                  {},
                  h('th', {}, 'Version'),
                  h('th', {}, 'Aliases'),
                  h('th', {}, 'Files'),
                  h('th', {}, 'Size'),
                  h('th', {}, 'Digest'),
                  h('th', {}, 'Created'),
                ),
              ),
              h(
                'tbody',
                {},
                a.versions.map((v) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, h('a', { href: v.path }, v.version)),
                    h(
                      'td',
                      {},
                      v.aliases.map((x) => h('span', { class: 'tag' }, x)),
                    ),
                    h('td', { class: 'num' }, v.fileCount),
                    h('td', { class: 'num' }, fmtValue(v.size)),
                    h('td', {}, h('code', {}, v.digest)),
                    h('td', {}, fmtTime(v.createdAt)),
                  ),
                ),
              ),
            ),
          ),
        ),
  );
}

/** Lineage as layered boxes (longest path from the sources), edges as lines with arrows. */
function lineageGraph({ nodes, edges }) {
  if (nodes.length <= 1) return h('p', { class: 'muted' }, 'No runs made or used this version yet.');
  const layer = new Map(nodes.map((n) => [n.id, 0]));
  for (let i = 0; i < nodes.length; i++) for (const e of edges) layer.set(e.to, Math.max(layer.get(e.to), layer.get(e.from) + 1));
  const cols = new Map();
  for (const n of nodes) (cols.get(layer.get(n.id)) ?? cols.set(layer.get(n.id), []).get(layer.get(n.id))).push(n);
  const W = 170,
    H = 34,
    GX = 70,
    GY = 18;
  const pos = new Map();
  let height = 0;
  for (const [l, list] of cols)
    list.forEach((n, i) => {
      pos.set(n.id, { x: 10 + l * (W + GX), y: 10 + i * (H + GY) });
      height = Math.max(height, 20 + (i + 1) * (H + GY));
    });
  const width = 20 + cols.size * (W + GX);
  const focus = nodes.find((n) => n.focus);
  const runs = nodes.filter((n) => n.kind === 'run').length;
  const root = svgEl('svg', {
    width,
    height,
    class: 'lineage',
    id: 'lineage',
    role: 'img',
    'aria-label': `Lineage${focus ? ` of ${focus.label}` : ''}: ${runs} run${runs === 1 ? '' : 's'} and ${nodes.length - runs} artifact version${nodes.length - runs === 1 ? '' : 's'}`,
  });
  const defs = svgEl('defs', {});
  const marker = svgEl('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto' });
  marker.append(svgEl('path', { d: 'M0,0 L10,5 L0,10 z', fill: '#888' }));
  defs.append(marker);
  root.append(defs);
  for (const e of edges) {
    const a = pos.get(e.from),
      b = pos.get(e.to);
    if (a && b) root.append(svgEl('line', { x1: a.x + W, y1: a.y + H / 2, x2: b.x, y2: b.y + H / 2, stroke: '#888', 'marker-end': 'url(#arrow)' }));
  }
  for (const n of nodes) {
    const p = pos.get(n.id);
    const g = svgEl('g', { class: `node ${n.kind}${n.focus ? ' focus' : ''}` });
    g.append(svgEl('rect', { x: p.x, y: p.y, width: W, height: H, rx: n.kind === 'run' ? 16 : 3 }));
    const label = svgEl('text', { x: p.x + 8, y: p.y + 21 }, n.label.length > 24 ? `${n.label.slice(0, 23)}…` : n.label);
    if (n.path) {
      const link = svgEl('a', { href: n.path });
      link.append(label);
      g.append(link);
    } else g.append(label);
    root.append(g);
  }
  return h('div', { class: 'table-wrap' }, root);
}

export async function artifactView(main, entity, project, type, name, version) {
  crumbs([['Projects', '/'], [project, path(entity, project)], ['artifacts', path(entity, project, 'artifacts')], [`${name}:${version}`]]);
  const a = await getJson(`${projectApi(entity, project)}/artifacts/${encodeURIComponent(type)}/${encodeURIComponent(name)}/${encodeURIComponent(version)}`);
  render(
    main,
    h('h1', {}, `${a.name}:${a.version}`),
    h(
      'div',
      { class: 'facts' },
      h('span', {}, `type ${a.type}`),
      h('span', {}, `${a.fileCount} files`),
      h('span', {}, `${fmtValue(a.size)} bytes`),
      h('span', {}, 'digest ', h('code', {}, a.digest)),
      a.aliases.map((x) => h('span', { class: 'tag' }, x)),
    ),
    a.linkedFrom
      ? h('p', {}, 'Linked from ', h('a', { href: a.linkedFrom.path }, `${a.linkedFrom.project}/${a.linkedFrom.name}:${a.linkedFrom.version}`))
      : null,
    (a.linkedTo ?? []).length > 0
      ? h(
          'p',
          { id: 'linked-to' },
          'Linked to ',
          a.linkedTo.map((l, i) => [
            i > 0 ? ', ' : '',
            h('a', { href: l.path }, `${l.registry}/${l.name}:${l.version}`),
            l.aliases.length ? ` (${l.aliases.join(', ')})` : '',
          ]),
        )
      : null,
    a.description ? h('p', {}, a.description) : null,
    section('Lineage', lineageGraph(a.lineage)),
    section(
      'Files',
      a.files.length === 0
        ? h('p', { class: 'muted' }, 'No files.')
        : h(
            'table',
            { class: 'grid' },
            h('thead', {}, h('tr', {}, h('th', {}, 'Path'), h('th', {}, 'Size'), h('th', {}, 'Digest / reference'))),
            h(
              'tbody',
              {},
              a.files.map((f) =>
                h('tr', {}, h('td', {}, f.path), h('td', { class: 'num' }, fmtValue(f.size)), h('td', {}, h('code', {}, f.ref ?? f.digest ?? ''))),
              ),
            ),
          ),
    ),
    section('Metadata', kvTable(a.metadata, { skipUnderscore: false })),
  );
}
