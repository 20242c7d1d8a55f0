import type { Writable } from 'node:stream';
import type { ProgressEvent } from '../services.js';

function human(n: number, unit: ProgressEvent['unit']): string {
  if (unit !== 'bytes') return String(n);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** A progress bar on a terminal (redrawn in place, at most every 100 ms); nothing elsewhere. */
export function createProgressBar(stream: Writable & { isTTY?: boolean }, now: () => number = Date.now): ((p: ProgressEvent) => void) | undefined {
  if (stream.isTTY !== true) return undefined;
  let last = Number.NEGATIVE_INFINITY;
  return (p) => {
    const t = now();
    const finished = p.done >= p.total;
    if (!finished && t - last < 100) return;
    last = t;
    const width = 28;
    const filled = p.total > 0 ? Math.min(width, Math.round((p.done / p.total) * width)) : width;
    stream.write(
      `\r${p.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${human(p.done, p.unit)}/${human(p.total, p.unit)}\x1b[K${finished ? '\n' : ''}`,
    );
  };
}
