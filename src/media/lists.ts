/**
 * W&B's list descriptors (`images/separated`, `audio`, `videos`, `html`) opened into one
 * single-file descriptor per item, so a viewer shows a list's items as it shows single values.
 */

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function captionAt(d: Record<string, unknown>, i: number): { caption?: string } {
  const captions = d['captions'];
  const c = Array.isArray(captions) ? captions[i] : undefined;
  return typeof c === 'string' && c !== '' ? { caption: c } : {};
}

function formatOf(path: string, fallback: unknown): unknown {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  return ext ?? fallback;
}

/** The items of a list descriptor as single-file descriptors; undefined when `d` is not a list. */
export function listItemDescriptors(d: Record<string, unknown>): Array<{ _type: string } & Record<string, unknown>> | undefined {
  const type = d['_type'];
  if (type === 'images/separated') {
    const names = d['filenames'];
    if (!Array.isArray(names)) return undefined;
    // W&B shows every image of a list at the list's size; each keeps its own format (its extension).
    return names.flatMap((path, i) =>
      typeof path === 'string'
        ? [{ _type: 'image-file', path, format: formatOf(path, d['format']), width: d['width'], height: d['height'], ...captionAt(d, i) }]
        : [],
    );
  }
  const field = type === 'audio' ? 'audio' : type === 'videos' ? 'videos' : type === 'html' ? 'html' : undefined;
  const items = field === undefined ? undefined : d[field];
  if (!Array.isArray(items)) return undefined;
  return items.flatMap((item, i) => (isObject(item) && typeof item['_type'] === 'string' ? [{ ...captionAt(d, i), ...item, _type: item['_type'] }] : []));
}
