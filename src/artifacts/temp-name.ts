/**
 * Names of the content store's temporary copies: `<pid>-<scope tag>-<uuid>`, so a later log can tell
 * that the process writing a copy is gone (its pid is dead in the same host scope) and reclaim it at
 * once. Copies of a live process, of another host or boot, or named otherwise wait for the age rule.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Liveness } from '../liveness.js';

const OWNED = /^(\d+)-([0-9a-f]{12})-/;

/** A short, file-name-safe tag of a liveness host scope (host name, boot, pid namespace). */
export function scopeTag(host: string): string {
  return createHash('sha256').update(host).digest('hex').slice(0, 12);
}

/** The prefix of this process's temporary copies (a uuid follows it). */
export function tempPrefix(owner: Pick<Liveness, 'host' | 'pid'>): string {
  return `${owner.pid}-${scopeTag(owner.host)}-`;
}

/** A new temporary copy's name for `prefix` (empty: an unowned name, judged by age only). */
export function tempName(prefix = ''): string {
  return `${prefix}${randomUUID()}`;
}

/** True when `name` was written by a process of this host scope that is no longer alive. */
export function ownerIsDead(name: string, liveness: Liveness): boolean {
  const m = OWNED.exec(name);
  if (m === null || m[2] !== scopeTag(liveness.host)) return false;
  const pid = Number(m[1]);
  return pid !== liveness.pid && !liveness.isAlive(pid);
}
