/**
 * A small seeded PRNG (xoshiro128**, seeded through splitmix32 from a string/number hash).
 * W&B's sweeps draw from Python's and numpy's global generators with no user-visible seed; every
 * random choice in this folder goes through `createRng` instead, so a seed reproduces a sweep.
 */

/** A deterministic stream of pseudo-random numbers. */
export interface Rng {
  /** Uniform in [0, 1), 53-bit resolution. */
  next(): number;
  /** Uniform in the open interval (0, 1); safe to feed to an inverse CDF. */
  open(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** Standard normal draw (Box-Muller). */
  normal(): number;
}

/** 32-bit FNV-1a over the UTF-16 code units of a string, then mixed. */
function hashString(s: string, h = 0x811c9dc5): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * Creates a generator from a seed and optional stream labels; the same parts give the same stream.
 * @example const rng = createRng('my-sweep', 'suggest', 3); rng.next();
 */
export function createRng(...parts: ReadonlyArray<number | string>): Rng {
  const key = parts.map((p) => (typeof p === 'number' ? `n:${p}` : `s:${p}`)).join('\u0000');
  const seedState = { s: hashString(key) ^ hashString(key, 0x1234567) };
  let a = splitmix32(seedState);
  let b = splitmix32(seedState);
  let c = splitmix32(seedState);
  let d = splitmix32(seedState);
  if ((a | b | c | d) === 0) a = 1;

  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };

  const next = (): number => {
    const hi = nextU32() >>> 5; // 27 bits
    const lo = nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  };

  let spare: number | undefined;
  return {
    next,
    open() {
      let u = next();
      while (u === 0) u = next();
      return u;
    },
    int(n) {
      return Math.min(n - 1, Math.floor(next() * n));
    },
    normal() {
      if (spare !== undefined) {
        const s = spare;
        spare = undefined;
        return s;
      }
      let u = next();
      while (u === 0) u = next();
      const v = next();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
