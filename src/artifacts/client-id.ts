import { randomBytes } from 'node:crypto';

/** W&B's client ids: 128 random characters of [a-z0-9] (PROTOCOL.md §6.1). */
export function clientId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(128)].map((b) => alphabet[b % 36]).join('');
}
