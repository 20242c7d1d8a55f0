/**
 * Where the content store keeps an object: `objects/md5/<hex[0:2]>/<hex[2:]>` under its root (the
 * layout of W&B's own artifact cache; hex because base64 digests hold `/` and `+`).
 */
import { join } from 'node:path';

/** Hex form of a base64 MD5 digest (e.g. for file names or ETag comparison); undefined if not one. */
export function md5Base64ToHex(digest: string): string | undefined {
  if (!/^[A-Za-z0-9+/]{22}==$/.test(digest)) return undefined;
  return Buffer.from(digest, 'base64').toString('hex');
}

/** The object path of a base64 MD5 digest under `root`; undefined if `digest` is not one. */
export function objectPath(root: string, digest: string): string | undefined {
  const hex = md5Base64ToHex(digest);
  return hex === undefined ? undefined : join(root, 'objects', 'md5', hex.slice(0, 2), hex.slice(2));
}
