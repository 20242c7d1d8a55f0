/** The demo's data: three interleaved spirals in 2-D, generated from a seed (no downloads). */

export interface Dataset {
  x: Float64Array; // n x 2, row-major
  y: Uint8Array; // class 0..classes-1
  n: number;
  classes: number;
}

export function spirals(perClass: number, classes: number, noise: number, rand: () => number): Dataset {
  const n = perClass * classes;
  const x = new Float64Array(n * 2);
  const y = new Uint8Array(n);
  let i = 0;
  for (let c = 0; c < classes; c++) {
    for (let k = 0; k < perClass; k++, i++) {
      const r = k / perClass;
      const gauss = Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
      const theta = (c * 2 * Math.PI) / classes + r * 4 + gauss * noise;
      x[i * 2] = r * Math.sin(theta);
      x[i * 2 + 1] = r * Math.cos(theta);
      y[i] = c;
    }
  }
  return { x, y, n, classes };
}

/** Shuffles and splits into train and validation sets. */
export function split(d: Dataset, valFraction: number, rand: () => number): { train: Dataset; val: Dataset } {
  const idx = Array.from({ length: d.n }, (_, i) => i);
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [idx[i], idx[j]] = [idx[j] as number, idx[i] as number];
  }
  const nVal = Math.round(d.n * valFraction);
  const take = (ids: number[]): Dataset => {
    const x = new Float64Array(ids.length * 2);
    const y = new Uint8Array(ids.length);
    ids.forEach((id, k) => {
      x[k * 2] = d.x[id * 2] as number;
      x[k * 2 + 1] = d.x[id * 2 + 1] as number;
      y[k] = d.y[id] as number;
    });
    return { x, y, n: ids.length, classes: d.classes };
  };
  return { val: take(idx.slice(0, nVal)), train: take(idx.slice(nVal)) };
}
