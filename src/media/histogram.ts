/**
 * W&B histograms: `{_type: "histogram", values: counts, bins: edges}` with
 * `bins.length === values.length + 1`, at most 512 bins, 64 by default (W&B's `num_bins`).
 * Binning follows numpy.histogram (which W&B calls): equal-width bins over [min, max], the last
 * bin closed; all-equal values use [v - 0.5, v + 0.5]; an empty sequence uses [0, 1].
 * Decision: a non-finite value (NaN, ±Infinity) is refused, as numpy refuses it, rather than
 * silently dropped.
 */
import { mediaInvalid } from './issues.js';

export const HISTOGRAM_DEFAULT_BINS = 64;
export const HISTOGRAM_MAX_BINS = 512;

export interface HistogramDescriptor {
  _type: 'histogram';
  values: number[];
  bins: number[];
}

function finiteNumbers(value: unknown, issue: string): number[] {
  if (!Array.isArray(value)) throw mediaInvalid(issue, 'must be an array of numbers');
  value.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw mediaInvalid(`${issue}[${i}]`, 'must be a finite number (NaN and Infinity are refused)');
    }
  });
  return value as number[];
}

/** numpy-style equal-width binning of `sequence` into `numBins` bins. */
export function histogramFromSequence(sequence: readonly number[], numBins: number): HistogramDescriptor {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of sequence) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (sequence.length === 0) {
    lo = 0;
    hi = 1;
  }
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / numBins;
  const bins = Array.from({ length: numBins + 1 }, (_, i) => (i === numBins ? hi : lo + i * width));
  const values = new Array<number>(numBins).fill(0);
  for (const v of sequence) {
    let i = Math.min(numBins - 1, Math.floor(((v - lo) / (hi - lo)) * numBins));
    // Floating-point rounding can put a value one bin off its edges; move it to the bin that holds it.
    if (i > 0 && v < (bins[i] ?? lo)) i -= 1;
    else if (i < numBins - 1 && v >= (bins[i + 1] ?? hi)) i += 1;
    values[i] = (values[i] ?? 0) + 1;
  }
  return { _type: 'histogram', values, bins };
}

/** Validates a histogram input (`sequence`, `counts`+`bins`, or W&B's own `values`+`bins`). */
export function encodeHistogram(input: Record<string, unknown>, issue: string): HistogramDescriptor {
  if (input['sequence'] !== undefined) {
    const seq = finiteNumbers(input['sequence'], `${issue}.sequence`);
    const nb = input['numBins'] ?? input['num_bins'] ?? HISTOGRAM_DEFAULT_BINS;
    if (typeof nb !== 'number' || !Number.isInteger(nb) || nb < 1 || nb > HISTOGRAM_MAX_BINS) {
      throw mediaInvalid(`${issue}.numBins`, `must be an integer from 1 to ${HISTOGRAM_MAX_BINS}`);
    }
    return histogramFromSequence(seq, nb);
  }
  const countsKey = input['counts'] !== undefined ? 'counts' : 'values';
  if (input[countsKey] === undefined || input['bins'] === undefined) {
    throw mediaInvalid(issue, 'a histogram needs "sequence", or "counts" and "bins"');
  }
  const counts = finiteNumbers(input[countsKey], `${issue}.${countsKey}`);
  const bins = finiteNumbers(input['bins'], `${issue}.bins`);
  if (bins.length !== counts.length + 1) {
    throw mediaInvalid(`${issue}.bins`, `needs ${counts.length + 1} edges for ${counts.length} counts, got ${bins.length}`);
  }
  if (counts.length < 1 || counts.length > HISTOGRAM_MAX_BINS) {
    throw mediaInvalid(`${issue}.${countsKey}`, `must hold 1 to ${HISTOGRAM_MAX_BINS} counts`);
  }
  for (let i = 1; i < bins.length; i++) {
    if ((bins[i] ?? 0) < (bins[i - 1] ?? 0)) throw mediaInvalid(`${issue}.bins[${i}]`, 'bin edges must not decrease');
  }
  return { _type: 'histogram', values: [...counts], bins: [...bins] };
}
