/**
 * The mark every report file carries, so a later report may replace it without asking while any
 * other file at a caller's `outputPath` is kept unless the call says `overwrite: true`. The mark
 * travels with the file (the reports table of one store says only that a report was once written at
 * a path, not that the file there is still it, and knows nothing of other stores' reports).
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export const REPORT_GENERATOR = 'wandb-experiment-tracker';
/** HTML: a `<meta name="generator">` in the head. */
export const HTML_MARK = `<meta name="generator" content="${REPORT_GENERATOR}">`;
/** Markdown: an HTML comment on the last line (renders as nothing). */
export const MARKDOWN_MARK = `<!-- generator: ${REPORT_GENERATOR} -->`;
/** JSON: the first key of the document, `"generator": "wandb-experiment-tracker"`. */
export const JSON_MARK = `"generator": "${REPORT_GENERATOR}"`;

/** Bytes read at each end of a file when looking for the mark. */
const PROBE_BYTES = 4096;

/** True when the file at `path` is a report this tool wrote (its mark in its first or last 4 KiB). */
export function isOurReport(path: string): boolean {
  let fd: number | undefined;
  try {
    const size = statSync(path).size;
    fd = openSync(path, 'r');
    const head = Buffer.alloc(Math.min(size, PROBE_BYTES));
    readSync(fd, head, 0, head.length, 0);
    const tail = Buffer.alloc(Math.min(size, PROBE_BYTES));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    const text = `${head.toString('utf8')}\n${tail.toString('utf8')}`;
    return text.includes(HTML_MARK) || text.includes(MARKDOWN_MARK) || text.includes(JSON_MARK);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
