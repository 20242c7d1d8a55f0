/** A one-hidden-layer perceptron (tanh, softmax) trained with mini-batch SGD and momentum. */
import type { Dataset } from './data.js';

export interface MlpOptions {
  hidden: number;
  lr: number;
  momentum: number;
  weightDecay: number;
}

export interface Mlp {
  trainEpoch(data: Dataset, batchSize: number, rand: () => number, lr: number): { loss: number; acc: number; gradNorm: number };
  evaluate(data: Dataset): { loss: number; acc: number };
  /** Class probabilities for one point. */
  predict(x: number, y: number): Float64Array;
  /** The parameters as plain arrays (what the model artifact stores). */
  weights(): { inputs: number; hidden: number; classes: number; W1: number[]; b1: number[]; W2: number[]; b2: number[] };
  parameterCount: number;
}

export function createMlp(inputs: number, classes: number, opts: MlpOptions, rand: () => number): Mlp {
  const H = opts.hidden;
  const init = (n: number, scale: number) => Float64Array.from({ length: n }, () => (rand() * 2 - 1) * scale);
  const W1 = init(inputs * H, Math.sqrt(6 / (inputs + H)));
  const b1 = new Float64Array(H);
  const W2 = init(H * classes, Math.sqrt(6 / (H + classes)));
  const b2 = new Float64Array(classes);
  const params = [W1, b1, W2, b2];
  const vel = params.map((p) => new Float64Array(p.length));
  const grads = params.map((p) => new Float64Array(p.length));
  const h = new Float64Array(H);
  const p = new Float64Array(classes);

  function forward(x: Float64Array, i: number): void {
    for (let j = 0; j < H; j++) {
      let s = b1[j] as number;
      for (let k = 0; k < inputs; k++) s += (x[i * inputs + k] as number) * (W1[k * H + j] as number);
      h[j] = Math.tanh(s);
    }
    let max = -Infinity;
    for (let c = 0; c < classes; c++) {
      let s = b2[c] as number;
      for (let j = 0; j < H; j++) s += (h[j] as number) * (W2[j * classes + c] as number);
      p[c] = s;
      if (s > max) max = s;
    }
    let z = 0;
    for (let c = 0; c < classes; c++) z += p[c] = Math.exp((p[c] as number) - max);
    for (let c = 0; c < classes; c++) p[c] = (p[c] as number) / z;
  }

  function argmax(): number {
    let best = 0;
    for (let c = 1; c < classes; c++) if ((p[c] as number) > (p[best] as number)) best = c;
    return best;
  }

  const point = new Float64Array(inputs);
  return {
    parameterCount: params.reduce((n, a) => n + a.length, 0),
    predict(x, y) {
      point[0] = x;
      point[1] = y;
      forward(point, 0);
      return Float64Array.from(p);
    },
    weights: () => ({ inputs, hidden: H, classes, W1: Array.from(W1), b1: Array.from(b1), W2: Array.from(W2), b2: Array.from(b2) }),
    trainEpoch(data, batchSize, r, lr) {
      const order = Array.from({ length: data.n }, (_, i) => i).sort(() => r() - 0.5);
      let loss = 0;
      let correct = 0;
      let gradNorm = 0;
      for (let start = 0; start < data.n; start += batchSize) {
        const batch = order.slice(start, start + batchSize);
        for (const g of grads) g.fill(0);
        for (const i of batch) {
          forward(data.x, i);
          const y = data.y[i] as number;
          loss -= Math.log((p[y] as number) + 1e-12);
          if (argmax() === y) correct++;
          const dh = new Float64Array(H);
          for (let c = 0; c < classes; c++) {
            const d = (p[c] as number) - (c === y ? 1 : 0);
            (grads[3] as Float64Array)[c] = ((grads[3] as Float64Array)[c] as number) + d;
            for (let j = 0; j < H; j++) {
              (grads[2] as Float64Array)[j * classes + c] = ((grads[2] as Float64Array)[j * classes + c] as number) + d * (h[j] as number);
              dh[j] = (dh[j] as number) + d * (W2[j * classes + c] as number);
            }
          }
          for (let j = 0; j < H; j++) {
            const dz = (dh[j] as number) * (1 - (h[j] as number) ** 2);
            (grads[1] as Float64Array)[j] = ((grads[1] as Float64Array)[j] as number) + dz;
            for (let k = 0; k < inputs; k++) {
              (grads[0] as Float64Array)[k * H + j] = ((grads[0] as Float64Array)[k * H + j] as number) + dz * (data.x[i * inputs + k] as number);
            }
          }
        }
        params.forEach((w, pi) => {
          const g = grads[pi] as Float64Array;
          const v = vel[pi] as Float64Array;
          for (let q = 0; q < w.length; q++) {
            const grad = (g[q] as number) / batch.length + opts.weightDecay * (w[q] as number);
            gradNorm += grad * grad;
            v[q] = opts.momentum * (v[q] as number) - lr * grad;
            w[q] = (w[q] as number) + (v[q] as number);
          }
        });
      }
      return { loss: loss / data.n, acc: correct / data.n, gradNorm: Math.sqrt(gradNorm) };
    },
    evaluate(data) {
      let loss = 0;
      let correct = 0;
      for (let i = 0; i < data.n; i++) {
        forward(data.x, i);
        const y = data.y[i] as number;
        loss -= Math.log((p[y] as number) + 1e-12);
        if (argmax() === y) correct++;
      }
      return { loss: loss / data.n, acc: correct / data.n };
    },
  };
}
