/**
 * The one-pass import of a `.wandb` file whose run is new to the store: the file is read through a
 * window of a megabyte and its rows are written as they are parsed, in the run's one transaction.
 * Neither the file nor its rows ever sit in memory whole: on a 40 MB file the fresh memory they
 * took cost as much as parsing it (every new page is a fault), and the rows' strings were made only
 * to be encoded again by the store. What is written is what the two-pass import writes.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Store } from '../store/index.js';
import { targetOf } from './compare.js';
import { FrameReader } from './framing.js';
import { parseRunFrames, type ParsedRun } from './parse-run.js';
import { mergeSegments } from './segments.js';
import { copyFiles, entriesOf, finishRun, insertRun, metaOf, type ImportedRun } from './write-run.js';

/** A later run record named another project or host than the one the run was inserted with: undone, and imported in two passes. */
class Renamed extends Error {}

/** Imported (its entries), or parsed only (its run is in the store already: the caller compares it), or undefined (parse it again). */
export type StreamedImport = { imported: ImportedRun[] } | { parsed: ParsedRun } | undefined;

/** Imports the file `path` in one pass when its run is new (`project` overrides the run record's). */
export function importStreaming(store: Store, dir: string, path: string, project: string | undefined): StreamedImport {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const frames = FrameReader.over((into, at, n, position) => readSync(fd, into, at, n, position), size);
    return store.write((): StreamedImport => {
      let key: number | undefined;
      let inserted: { project: string; host: string | null } | undefined;
      const parsed = parseRunFrames(frames, size, {
        started(run) {
          const p = project ?? (run.project || 'uncategorized');
          if (run.runId === '' || store.runs.get(p, run.runId) !== undefined) return false;
          // Inserted as the import goes on; the metadata the whole file gives is written at the end.
          key = insertRun(store, run, p, 'running').key;
          inserted = { project: p, host: run.host };
          return true;
        },
        rows: (rows) => store.wandbFiles.appendHistory(key as number, rows.dropped, rows),
      });
      if (key === undefined || inserted === undefined) return { parsed };
      const p = project ?? (parsed.project || 'uncategorized');
      if (p !== inserted.project || parsed.host !== inserted.host) throw new Renamed();
      const group = [{ path, parsed }];
      const m = mergeSegments(group, 0);
      const t = targetOf(m);
      const { copied, missing } = copyFiles(dir, p, parsed.runId, m.files);
      store.runs.saveMeta(key, metaOf(m, t));
      finishRun(store, key, m, t, 0, copied);
      return { imported: entriesOf(group, p, parsed.runId)('imported', { files: copied.length, ...(missing.length > 0 ? { missingFiles: missing } : {}) }) };
    });
  } catch (err) {
    if (err instanceof Renamed) return undefined;
    throw err;
  } finally {
    closeSync(fd);
  }
}
