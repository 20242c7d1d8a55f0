/**
 * Turning `artifactConfig.path` and `artifactConfig.references` into manifest entries, with every
 * refusal (escapes, unreadable files, duplicate entry paths) raised before a byte is stored; the
 * files then go into the content store through artifacts/store-contents.ts.
 */
import type { Stats } from 'node:fs';
import { isAbsolute } from 'node:path';
import { invalidInput } from '../../errors.js';
import { type ManifestEntry, type WalkEntry, createReferenceEntries, walkFiles } from '../../artifacts/index.js';
import { type ToolPaths, collectSkipReason } from '../../protected-paths.js';

export { storeFiles, type LogProgress } from '../../artifacts/store-contents.js';

export interface PlannedFiles {
  files: WalkEntry[];
  references: Record<string, ManifestEntry>;
}

/** Most skipped entries a warning lists by name (the count is always given). */
const SKIPPED_NAMED = 10;

/**
 * Walks the path (relative paths inside `dir`) and resolves references; stores nothing. With `tool`,
 * the tool's own store files and data folders met in the walk are left out, and `warn` says which.
 */
export async function planEntries(
  dir: string,
  path: string | undefined,
  references: readonly string[] | undefined,
  guard: { tool?: ToolPaths; warn?: (message: string) => void } = {},
): Promise<PlannedFiles> {
  const files: WalkEntry[] = [];
  const skipped: string[] = [];
  const { tool } = guard;
  const skipOpts =
    tool === undefined
      ? {}
      : {
          skip: (real: string, info: Stats, start: string) => collectSkipReason(tool, real, info, start),
          onSkip: (entry: string, why: string) => skipped.push(`${entry} (${why})`),
        };
  if (path !== undefined) {
    if (isAbsolute(path)) {
      // An absolute path is the caller's explicit choice, but a `..` in it hides where it points.
      if (path.split(/[\\/]/).includes('..')) throw invalidInput('artifactConfig.path', 'an absolute path must not hold ".." segments');
      for await (const e of walkFiles(path, skipOpts)) files.push(e);
    } else {
      for await (const e of walkFiles(path, { root: dir, ...skipOpts })) files.push(e);
    }
  }
  if (skipped.length > 0) {
    const more = skipped.length > SKIPPED_NAMED ? ` and ${skipped.length - SKIPPED_NAMED} more` : '';
    guard.warn?.(
      `left out of the artifact ${skipped.length} entr${skipped.length === 1 ? 'y' : 'ies'} that are the tool's own store or data (never captured, so a later download cannot overwrite them): ${skipped.slice(0, SKIPPED_NAMED).join(', ')}${more}`,
    );
  }
  const refs: Record<string, ManifestEntry> = {};
  const seen = new Set(files.map((f) => f.path));
  for (const [i, uri] of (references ?? []).entries()) {
    const issue = `artifactConfig.references[${i}]`;
    for (const [entryPath, entry] of Object.entries(await createReferenceEntries(uri, { issuePath: issue }))) {
      if (seen.has(entryPath)) throw invalidInput(issue, `entry path "${entryPath}" is already in the artifact`);
      seen.add(entryPath);
      refs[entryPath] = entry;
    }
  }
  return { files, references: refs };
}
