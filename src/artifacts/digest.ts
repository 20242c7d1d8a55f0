/**
 * Artifact hashing and the version-1 manifest (PROTOCOL.md §6.1):
 * - a file entry's digest is base64 of the raw 16-byte MD5 of its bytes;
 * - the artifact digest is hex MD5 of `"wandb-artifact-manifest-v1\n"` then `"<path>:<digest>\n"`
 *   per entry, sorted by path in code-point order (Python's string sort = UTF-8 byte order);
 * - the manifest file digest is base64 MD5 of the exact manifest JSON bytes.
 * Files are hashed in chunks, one pass for MD5 and SHA-256 together, never whole in memory.
 */
import { createHash, type Hash } from 'node:crypto';
import { open } from 'node:fs/promises';

export interface FileHashes {
  /** Base64 of the raw MD5 (W&B's entry digest). */
  md5: string;
  sha256: string;
  size: number;
}

/**
 * Reads `path` once through one reused 1 MiB buffer (no per-chunk allocation, so memory stays
 * flat whatever the file size), computing MD5 (base64) and SHA-256 (hex); `onBytes` gets each
 * chunk's length.
 */
export async function hashFile(path: string, onBytes?: (n: number) => void): Promise<FileHashes> {
  const md5 = createHash('md5');
  const sha = createHash('sha256');
  const size = await feedHashes(path, [md5, sha], Buffer.allocUnsafe(1024 * 1024), onBytes);
  return { md5: md5.digest('base64'), sha256: sha.digest('hex'), size };
}

/**
 * Reads `path` once through `buf` (reused by a caller hashing many files), feeding every chunk to
 * `hashes`; returns the size.
 */
export async function feedHashes(path: string, hashes: readonly Hash[], buf: Buffer, onBytes?: (n: number) => void): Promise<number> {
  let size = 0;
  const fh = await open(path, 'r');
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      const chunk = buf.subarray(0, bytesRead);
      for (const h of hashes) h.update(chunk);
      size += bytesRead;
      onBytes?.(bytesRead);
    }
  } finally {
    await fh.close();
  }
  return size;
}

/** MD5 (base64) and SHA-256 (hex) of in-memory bytes. */
export function hashBytes(bytes: Buffer | string): FileHashes {
  const buf = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  return {
    md5: createHash('md5').update(buf).digest('base64'),
    sha256: createHash('sha256').update(buf).digest('hex'),
    size: buf.length,
  };
}

/** Base64 MD5 of a file, streamed. */
export async function md5Base64OfFile(path: string): Promise<string> {
  return (await hashFile(path)).md5;
}

/** Hex SHA-256 of a file, streamed. */
export async function sha256HexOfFile(path: string): Promise<string> {
  return (await hashFile(path)).sha256;
}

export { md5Base64ToHex } from './object-path.js';

export interface ManifestEntry {
  digest: string;
  birthArtifactID?: string;
  ref?: string;
  size?: number;
  extra?: Record<string, unknown>;
}

export interface StoragePolicyConfig {
  storageLayout: 'V1' | 'V2';
  storageRegion?: string;
  [key: string]: unknown;
}

export interface ManifestV1 {
  version: 1;
  storagePolicy: 'wandb-storage-policy-v1';
  storagePolicyConfig: StoragePolicyConfig;
  contents: Record<string, ManifestEntry>;
}

/** Code-point order of two strings (UTF-8 byte order), which is Python's `sorted` order. */
export function comparePaths(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function cleanEntry(e: ManifestEntry): ManifestEntry {
  // Key order follows W&B's writer; absent and empty values are omitted, as the Python client does.
  const out: ManifestEntry = { digest: e.digest };
  if (e.birthArtifactID !== undefined) out.birthArtifactID = e.birthArtifactID;
  if (e.ref !== undefined) out.ref = e.ref;
  if (e.size !== undefined) out.size = e.size;
  if (e.extra !== undefined && Object.keys(e.extra).length > 0) out.extra = e.extra;
  return out;
}

/** Builds a version-1 manifest with contents in sorted path order. */
export function createManifest(contents: Record<string, ManifestEntry>, config: Partial<StoragePolicyConfig> = {}): ManifestV1 {
  const sorted: Record<string, ManifestEntry> = {};
  for (const path of Object.keys(contents).sort(comparePaths)) sorted[path] = cleanEntry(contents[path] as ManifestEntry);
  return {
    version: 1,
    storagePolicy: 'wandb-storage-policy-v1',
    storagePolicyConfig: { ...config, storageLayout: config.storageLayout ?? 'V2' },
    contents: sorted,
  };
}

/** The manifest JSON as uploaded (`wandb_manifest.json`): compact, contents sorted by path. */
export function serializeManifest(manifest: ManifestV1): string {
  return JSON.stringify(createManifest(manifest.contents, manifest.storagePolicyConfig));
}

/** The artifact digest (`createArtifact.digest`): hex MD5 over the sorted `path:digest` lines. */
export function artifactDigest(manifest: Pick<ManifestV1, 'contents'>): string {
  const md5 = createHash('md5');
  md5.update('wandb-artifact-manifest-v1\n', 'utf8');
  for (const path of Object.keys(manifest.contents).sort(comparePaths)) {
    md5.update(`${path}:${(manifest.contents[path] as ManifestEntry).digest}\n`, 'utf8');
  }
  return md5.digest('hex');
}

/** Base64 MD5 of the manifest file bytes (`createArtifactManifest.digest`). */
export function manifestFileDigest(json: string): string {
  return createHash('md5').update(json, 'utf8').digest('base64');
}
