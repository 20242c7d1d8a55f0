/**
 * The objectives of the search-quality benchmark (bench/search.ts): the standard test families
 * (Rosenbrock, Styblinski-Tang, Levy, Ackley, Dixon-Price, Michalewicz) in 2 to 10 dimensions over
 * W&B sweep parameters, mixed spaces (categoricals, integers, quantised, log and normal
 * distributions) and noisy variants. Each has its known minimum, so regret = f(best) - f*.
 */

export interface Problem {
  name: string;
  /** W&B sweep `parameters`. */
  parameters: Record<string, unknown>;
  /** The noiseless objective of a run config. */
  f(config: Record<string, unknown>): number;
  /** Its minimum over the space. */
  fStar: number;
  /** Standard deviation of the Gaussian noise on observed values (0: none). */
  noise: number;
}

const ST_MIN = -39.16616570377142; // Styblinski-Tang per dimension, at x = -2.903534

export const rosenbrock = (x: number[]): number => {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * ((x[i + 1] as number) - (x[i] as number) ** 2) ** 2 + (1 - (x[i] as number)) ** 2;
  return s;
};
export const styblinskiTang = (x: number[]): number => 0.5 * x.reduce((s, v) => s + v ** 4 - 16 * v ** 2 + 5 * v, 0);
export const levy = (x: number[]): number => {
  const w = x.map((v) => 1 + (v - 1) / 4);
  const d = w.length;
  let s = Math.sin(Math.PI * (w[0] as number)) ** 2;
  for (let i = 0; i < d - 1; i++) s += ((w[i] as number) - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * (w[i] as number) + 1) ** 2);
  const last = w[d - 1] as number;
  return s + (last - 1) ** 2 * (1 + Math.sin(2 * Math.PI * last) ** 2);
};
export const ackley = (x: number[]): number => {
  const d = x.length;
  const sq = x.reduce((s, v) => s + v * v, 0) / d;
  const cs = x.reduce((s, v) => s + Math.cos(2 * Math.PI * v), 0) / d;
  return -20 * Math.exp(-0.2 * Math.sqrt(sq)) - Math.exp(cs) + 20 + Math.E;
};
export const dixonPrice = (x: number[]): number => {
  let s = ((x[0] as number) - 1) ** 2;
  for (let i = 1; i < x.length; i++) s += (i + 1) * (2 * (x[i] as number) ** 2 - (x[i - 1] as number)) ** 2;
  return s;
};
export const michalewicz = (x: number[]): number => -x.reduce((s, v, i) => s + Math.sin(v) * Math.sin(((i + 1) * v * v) / Math.PI) ** 20, 0);
const MICHALEWICZ_MIN: Record<number, number> = { 2: -1.8013034100985537, 5: -4.687658179, 10: -9.66015 };

/** d continuous parameters x0..x{d-1}, uniform on [lo, hi]. */
function box(name: string, fn: (x: number[]) => number, d: number, lo: number, hi: number, fStar: number, noise = 0): Problem {
  const parameters: Record<string, unknown> = {};
  for (let i = 0; i < d; i++) parameters[`x${i}`] = { distribution: 'uniform', min: lo, max: hi };
  return { name, parameters, f: (c) => fn(Array.from({ length: d }, (_, i) => c[`x${i}`] as number)), fStar, noise };
}

const num = (c: Record<string, unknown>, k: string): number => c[k] as number;
const LEVY_OFFSET: Record<string, number> = { a: 1.5, b: 0, c: 3, d: 0.7, e: 2 };
const ML_TABLE: Record<string, number[]> = { sgd: [3, 4, 3.5], adam: [1, 0.5, 0], rmsprop: [2, 1.5, 2.5], adamw: [0.5, 1, 0.2] };
const ACTS = ['relu', 'tanh', 'gelu'];

/** Levy in 4 dimensions, two of them integers, plus a categorical offset whose best value sits in the middle of the list. */
const mixedLevy = (noise: number): Problem => ({
  name: noise > 0 ? 'noisy mixed Levy 4d + cat' : 'mixed Levy 4d (2 int) + cat',
  parameters: {
    x0: { distribution: 'uniform', min: -10, max: 10 },
    x1: { distribution: 'uniform', min: -10, max: 10 },
    n0: { distribution: 'int_uniform', min: -10, max: 10 },
    n1: { distribution: 'int_uniform', min: -10, max: 10 },
    c: { values: ['a', 'b', 'c', 'd', 'e'] },
  },
  f: (c) => levy([num(c, 'x0'), num(c, 'x1'), num(c, 'n0'), num(c, 'n1')]) + (LEVY_OFFSET[c['c'] as string] as number),
  fStar: 0,
  noise,
});

/**
 * A training-like space: Styblinski-Tang over a log-uniform learning rate, a quantised width, an
 * integer depth and a normal momentum, plus two interacting categoricals (optimizer × activation).
 */
const mixedMl: Problem = {
  name: 'mixed ML-like 4d (log, q, int, normal) + 2 cat',
  parameters: {
    lr: { distribution: 'log_uniform_values', min: 1e-6, max: 1e-1 },
    width: { distribution: 'q_uniform', min: -5, max: 5, q: 0.25 },
    depth: { distribution: 'int_uniform', min: -5, max: 5 },
    momentum: { distribution: 'normal', mu: 0, sigma: 2 },
    optimizer: { values: ['sgd', 'adam', 'rmsprop', 'adamw'] },
    activation: { values: ACTS },
  },
  f: (c) => {
    const t0 = (Math.log10(num(c, 'lr')) + 3.5) * 2;
    const cat = (ML_TABLE[c['optimizer'] as string] as number[])[ACTS.indexOf(c['activation'] as string)] as number;
    return styblinskiTang([t0, num(c, 'width'), num(c, 'depth'), Math.max(-5, Math.min(5, num(c, 'momentum')))]) + cat;
  },
  // The continuous lr and momentum reach the per-dimension minimum; width (multiples of 0.25) and depth reach x = -3 (-39).
  fStar: 2 * ST_MIN - 78,
  noise: 0,
};

export const PROBLEMS: readonly Problem[] = [
  box('Rosenbrock 2d', rosenbrock, 2, -2.048, 2.048, 0),
  box('Rosenbrock 6d', rosenbrock, 6, -2.048, 2.048, 0),
  box('Styblinski-Tang 3d', styblinskiTang, 3, -5, 5, 3 * ST_MIN),
  box('Styblinski-Tang 8d', styblinskiTang, 8, -5, 5, 8 * ST_MIN),
  box('Levy 2d', levy, 2, -10, 10, 0),
  box('Levy 10d', levy, 10, -10, 10, 0),
  box('Ackley 2d', ackley, 2, -32.768, 32.768, 0),
  box('Ackley 5d', ackley, 5, -32.768, 32.768, 0),
  box('Dixon-Price 4d', dixonPrice, 4, -10, 10, 0),
  box('Dixon-Price 10d', dixonPrice, 10, -10, 10, 0),
  box('Michalewicz 2d', michalewicz, 2, 0, Math.PI, MICHALEWICZ_MIN[2] as number),
  box('Michalewicz 5d', michalewicz, 5, 0, Math.PI, MICHALEWICZ_MIN[5] as number),
  mixedLevy(0),
  mixedMl,
  box('noisy Rosenbrock 2d (sd 1)', rosenbrock, 2, -2.048, 2.048, 0, 1),
  box('noisy Styblinski-Tang 4d (sd 3)', styblinskiTang, 4, -5, 5, 4 * ST_MIN, 3),
  mixedLevy(0.5),
];
