/** Lower-case base-36 digits, as W&B's view names and our alert, rule and report ids use. */
export const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/** `length` characters of `alphabet` drawn from `random` (the services' seeded source in tests). */
export function randomString(random: (max: number) => number, length: number, alphabet: string = BASE36): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[random(alphabet.length)];
  return s;
}

/** A prefixed id of `length` base-36 characters: `al-3k9...`. */
export function randomId(ctx: { random(max: number): number }, prefix: string, length = 12): string {
  return prefix + randomString((m) => ctx.random(m), length);
}
