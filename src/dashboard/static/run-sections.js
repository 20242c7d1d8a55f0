// The run page's sections over other features' data: overview, files and console, media, alerts, artifacts.
import { h, fmtTime, fmtDuration, fmtValue, section } from './dom.js';
import { getJson } from './api.js';
import { audioStepper, histogramStrip, stepSlider } from './media-steps.js';
import { tableView } from './table-view.js';

async function tablePreview(url, key) {
  const box = h('div', {}, h('span', { class: 'muted' }, 'loading table…'));
  try {
    box.replaceChildren(tableView(key, await getJson(url)));
  } catch (err) {
    box.replaceChildren(h('p', { class: 'error' }, `table not readable: ${err.message}`));
  }
  return box;
}

/** Images and audio by step, histograms as heat strips over steps, tables previewed, video playable, the rest linked. */
export async function mediaSection(box, api) {
  let media;
  try {
    ({ media } = await getJson(`${api}/media`));
  } catch (err) {
    box.replaceChildren(h('p', { class: 'error' }, err.message));
    return;
  }
  if (media.length === 0) {
    box.replaceChildren(h('p', { class: 'muted' }, 'No media logged.'));
    return;
  }
  const caption = (m) => h('figcaption', {}, `${m.key} · step ${m.step}`, m.caption ? ` · ${m.caption}` : '');
  const images = media.filter((m) => (m.type === 'image-file' || m.type === 'image') && m.url);
  const others = media.filter((m) => !images.includes(m));
  const items = [];
  // Per image key, a step slider: the images logged at the chosen step (the last step at first).
  const byKey = new Map();
  for (const m of images) byKey.set(m.key, [...(byKey.get(m.key) ?? []), m]);
  for (const [key, list] of byKey) items.push(imageStepper(key, list, caption));
  // Histograms with their counts as a heat strip over steps, audio a step at a time.
  const grouped = (pred) => {
    const by = new Map();
    for (const m of others.filter(pred)) by.set(m.key, [...(by.get(m.key) ?? []), m]);
    return by;
  };
  const hists = grouped((m) => m.type === 'histogram' && Array.isArray(m.values) && Array.isArray(m.bins));
  const audio = grouped((m) => m.type === 'audio-file' && m.url);
  for (const [key, list] of hists) items.push(histogramStrip(key, list));
  for (const [key, list] of audio) items.push(audioStepper(key, list, caption));
  const rest = others.filter((m) => !hists.has(m.key) && !audio.has(m.key));
  if (media.length >= 500) items.push(h('p', { class: 'muted' }, 'Only the newest 500 media entries of this run are listed.'));
  for (const m of rest) {
    if (m.type === 'table-file' && m.url) {
      items.push(h('figure', { class: 'wide' }, caption(m), await tablePreview(m.url, m.key)));
    } else if (m.type === 'video-file' && m.url) {
      items.push(h('figure', {}, h('video', { controls: true, src: m.url, width: 320 }), caption(m)));
    } else {
      items.push(h('figure', {}, m.url ? h('a', { href: m.url }, m.key) : m.key, caption(m), h('span', { class: 'muted' }, ` ${m.type}`)));
    }
  }
  box.replaceChildren(...items);
}

export function alertsSection(alerts) {
  return section(
    'Alerts',
    alerts.length === 0
      ? h('p', { class: 'muted' }, 'No alerts.')
      : h(
          'table',
          { class: 'grid', id: 'alerts' },
          h('thead', {}, h('tr', {}, h('th', {}, 'Level'), h('th', {}, 'Title'), h('th', {}, 'Text'), h('th', {}, 'When'), h('th', {}, ''))),
          h(
            'tbody',
            {},
            alerts.map((a) =>
              h(
                'tr',
                {},
                h('td', {}, h('span', { class: `level level-${a.level}` }, a.level)),
                h('td', {}, a.title),
                h('td', {}, a.text),
                h('td', {}, fmtTime(a.createdAt)),
                h('td', { class: 'muted' }, a.suppressed ? 'suppressed' : ''),
              ),
            ),
          ),
        ),
  );
}

function artifactTable(items) {
  if (items.length === 0) return h('p', { class: 'muted' }, 'None.');
  return h(
    'table',
    { class: 'grid' },
    h('thead', {}, h('tr', {}, h('th', {}, 'Artifact'), h('th', {}, 'Type'), h('th', {}, 'Aliases'), h('th', {}, 'Files'), h('th', {}, 'Size'))),
    h(
      'tbody',
      {},
      items.map((a) =>
        h(
          'tr',
          {},
          h('td', {}, h('a', { href: a.path }, `${a.name}:${a.version}`)),
          h('td', {}, a.type),
          h(
            'td',
            {},
            (a.aliases ?? []).map((x) => h('span', { class: 'tag' }, x)),
          ),
          h('td', { class: 'num' }, a.fileCount),
          h('td', { class: 'num' }, fmtValue(a.size)),
        ),
      ),
    ),
  );
}

export function artifactsSection(artifacts) {
  return section(
    'Artifacts',
    h(
      'div',
      { class: 'two' },
      h('div', {}, h('h3', {}, 'Logged'), artifactTable(artifacts.logged)),
      h('div', {}, h('h3', {}, 'Used'), artifactTable(artifacts.used)),
    ),
  );
}

// The run's overview: how it ran (command, host, git commit, duration, exit code), its files and its console.
export async function overviewSection(box, api, run) {
  let o;
  try {
    o = await getJson(`${api}/overview`);
  } catch (err) {
    box.replaceChildren(h('p', { class: 'error' }, err.message));
    return;
  }
  const m = o.metadata ?? {};
  const git = m.git && typeof m.git === 'object' ? m.git : {};
  const command = [m.program, ...(Array.isArray(m.args) ? m.args : [])].filter((x) => typeof x === 'string').join(' ');
  const facts = [
    ['command', command || null],
    ['host', run.host ?? m.host ?? null],
    ['user', run.username ?? m.username ?? null],
    ['git commit', git.commit ?? m.commit ?? null],
    ['git remote', git.remote ?? null],
    ['os', m.os ?? null],
    ['started', fmtTime(run.createdAt)],
    ['finished', run.finishedAt ? fmtTime(run.finishedAt) : null],
    ['duration', fmtDuration(run.duration)],
    ['exit code', run.exitCode === null || run.exitCode === undefined ? null : String(run.exitCode)],
  ].filter(([, v]) => v !== null && v !== undefined && v !== '');
  box.replaceChildren(
    h(
      'table',
      { class: 'kv', id: 'overview' },
      h(
        'tbody',
        {},
        facts.map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, String(v)))),
      ),
    ),
    h('h3', {}, `Files (${o.files.length}${o.truncated ? '+' : ''})`),
    o.files.length === 0
      ? h('p', { class: 'muted' }, 'No files logged.')
      : h(
          'ul',
          { class: 'files', id: 'run-files' },
          o.files.map((f) =>
            h(
              'li',
              {},
              h('a', { href: o.fileBase + f.path.split('/').map(encodeURIComponent).join('/') }, f.path),
              h('span', { class: 'muted small' }, ` ${f.size} B`),
            ),
          ),
        ),
    o.console
      ? h(
          'div',
          {},
          h('h3', {}, `Console output${o.console.truncated ? ` (last ${o.console.text.length} of ${o.console.bytes} bytes)` : ''}`),
          h('pre', { class: 'console', id: 'console', tabindex: 0, 'aria-label': 'Console output' }, o.console.text),
        )
      : h('p', { class: 'muted' }, 'No console output recorded.'),
  );
}

function imageStepper(key, list, caption) {
  const steps = [...new Set(list.map((m) => m.step))].sort((a, b) => a - b);
  const gallery = h('div', { class: 'gallery' });
  const s = stepSlider(key, steps, (step) =>
    gallery.replaceChildren(
      ...list.filter((m) => m.step === step).map((m) => h('figure', {}, h('img', { src: m.url, alt: m.caption ?? m.key, loading: 'lazy' }), caption(m))),
    ),
  );
  s.update();
  return h('div', { class: 'stepper', 'data-key': key }, h('h3', {}, key), s.el, gallery);
}
