/**
 * Alert rules: a metric, a comparison and a threshold, checked against committed history rows.
 *
 * The metric is found as W&B's charts find it: the exact key first (`val/loss` is an ordinary key in
 * W&B; the slash only groups panels), else a dotted path into nested values (`val.loss` reads
 * `{val: {loss}}`), else a slash path (`val/loss` reads `{val: {loss}}` when no flat key exists).
 */
import type { RuleOp } from '../store/alerts.js';

export interface Rule {
  metric: string;
  op: RuleOp;
  value?: number | null | undefined;
}

/** Ops that compare against `value` (the others test the number itself). */
export const COMPARISONS: ReadonlySet<RuleOp> = new Set(['>', '>=', '<', '<=', '==', '!=']);

function walk(obj: Record<string, unknown>, parts: string[]): unknown {
  let cur: unknown = obj;
  for (const p of parts) {
    if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** The value of `metric` in a history row (see the module comment), or undefined. */
export function metricValue(row: Record<string, unknown>, metric: string): unknown {
  if (Object.prototype.hasOwnProperty.call(row, metric)) return row[metric];
  if (metric.includes('.')) {
    const v = walk(row, metric.split('.'));
    if (v !== undefined) return v;
  }
  if (metric.includes('/')) return walk(row, metric.split('/'));
  return undefined;
}

/**
 * Whether the rule holds for a value. Only numbers count: a row without the metric, or with a string,
 * never fires. Comparisons with NaN are false (as in IEEE 754), so a divergence guard pairs `>` with
 * a `nan` or `non-finite` rule.
 */
export function ruleHolds(rule: Rule, v: unknown): boolean {
  if (typeof v !== 'number') return false;
  switch (rule.op) {
    case 'nan':
      return Number.isNaN(v);
    case 'non-finite':
      return !Number.isFinite(v);
  }
  const t = rule.value;
  if (typeof t !== 'number') return false;
  switch (rule.op) {
    case '>':
      return v > t;
    case '>=':
      return v >= t;
    case '<':
      return v < t;
    case '<=':
      return v <= t;
    case '==':
      return v === t;
    case '!=':
      return !Number.isNaN(v) && v !== t;
  }
  return false;
}

/** The first committed row in which the rule holds, with its value and step. */
export function firstMatch(rule: Rule, rows: ReadonlyArray<Record<string, unknown>>): { value: number; step: number | null } | undefined {
  for (const row of rows) {
    const v = metricValue(row, rule.metric);
    if (ruleHolds(rule, v)) {
      const step = row['_step'];
      return { value: v as number, step: typeof step === 'number' ? step : null };
    }
  }
  return undefined;
}

/** A human description, e.g. `loss > 5` or `loss is NaN`. */
export function describeRule(rule: Rule): string {
  if (rule.op === 'nan') return `${rule.metric} is NaN`;
  if (rule.op === 'non-finite') return `${rule.metric} is NaN or infinite`;
  return `${rule.metric} ${rule.op} ${String(rule.value)}`;
}
