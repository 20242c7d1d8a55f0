/**
 * Reference entries: files recorded in a manifest by URI without copying their bytes
 * (W&B's `add_reference`). Digest = the ETag when known, else the URI itself; for `file://`
 * with `checksum` (W&B's default) the local file's MD5 is used and a directory becomes one
 * entry per file, each with its own `file://` ref.
 */
import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { invalidInput } from '../errors.js';
import { type ManifestEntry, hashFile } from './digest.js';
import { assertEntryPath } from './entry-path.js';
import { walkFiles } from './walk.js';

export const REFERENCE_SCHEMES = ['file:', 'http:', 'https:', 's3:', 'gs:'] as const;

export interface ReferenceOptions {
  /** Entry path (or directory prefix for a `file://` directory); default: the URI's last segment. */
  name?: string;
  etag?: string;
  size?: number;
  /** For `file://`: hash the local bytes (default true, as W&B). */
  checksum?: boolean;
  extra?: Record<string, unknown>;
  /** `details.issues[].path` for refusals (default `artifactConfig.reference`). */
  issuePath?: string;
}

function defaultName(url: URL): string {
  const segs = decodeURIComponent(url.pathname)
    .split('/')
    .filter((s) => s !== '');
  return segs[segs.length - 1] ?? url.hostname;
}

/** Manifest entries for a reference URI, keyed by entry path. */
export async function createReferenceEntries(uri: string, opts: ReferenceOptions = {}): Promise<Record<string, ManifestEntry>> {
  const issue = opts.issuePath ?? 'artifactConfig.reference';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw invalidInput(issue, `not a URI: ${JSON.stringify(uri)}`);
  }
  if (!(REFERENCE_SCHEMES as readonly string[]).includes(url.protocol)) {
    throw invalidInput(issue, `unsupported reference scheme ${url.protocol}; use file, http(s), s3 or gs`);
  }
  if ((url.protocol === 's3:' || url.protocol === 'gs:') && url.hostname === '') throw invalidInput(issue, 'a bucket URI needs a bucket name');
  const name = opts.name ?? defaultName(url);
  assertEntryPath(name, issue);
  const extra: Record<string, unknown> = { ...(opts.extra ?? {}) };
  if (opts.etag !== undefined) extra['etag'] = opts.etag;

  if (url.protocol === 'file:' && opts.checksum !== false) {
    const local = fileURLToPath(url);
    const info = await stat(local).catch(() => undefined);
    if (info === undefined) throw invalidInput(issue, `reference ${uri} does not exist`);
    const out: Record<string, ManifestEntry> = {};
    if (info.isDirectory()) {
      for await (const e of walkFiles(local, { name, issuePath: issue })) {
        const h = await hashFile(e.absPath);
        out[e.path] = { digest: h.md5, ref: pathToFileURL(e.absPath).href, size: h.size };
      }
      return out;
    }
    const h = await hashFile(local);
    out[name] = { digest: h.md5, ref: url.href, size: h.size };
    return out;
  }
  const entry: ManifestEntry = { digest: opts.etag ?? url.href, ref: url.href };
  if (opts.size !== undefined) entry.size = opts.size;
  if (Object.keys(extra).length > 0) entry.extra = extra;
  return { [posix.normalize(name)]: entry };
}
