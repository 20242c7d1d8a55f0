/**
 * The hypothesis-test section: runs grouped by `groupBy`, each metric's summary value compared
 * between groups. Runs without the group key or without a finite value are left out and counted.
 */

import { groupOf, summaryValue } from './extract.js';
import { compareGroups, type Descriptives, type PairwiseComparison } from './stats.js';
import type { ReportRun } from './types.js';

export interface MetricTest {
  metric: string;
  groups: Array<{ group: string; runIds: string[] } & Descriptives>;
  /** Every pair of groups; `pHolm` adjusts for the number of pairs. */
  comparisons: PairwiseComparison[];
  /** Runs of a group that had no finite value for the metric. */
  missing: number;
}

export interface HypothesisStats {
  groupBy: string;
  /** Runs without a value for `groupBy`. */
  ungrouped: string[];
  metrics: MetricTest[];
}

/** Groups runs by `groupBy` (first-seen order) and tests every metric's summary between the groups. */
export function buildHypothesisStats(runs: readonly ReportRun[], groupBy: string, metrics: readonly string[]): HypothesisStats {
  const byGroup = new Map<string, ReportRun[]>();
  const ungrouped: string[] = [];
  for (const run of runs) {
    const g = groupOf(run, groupBy);
    if (g === null) {
      ungrouped.push(run.runId);
      continue;
    }
    const list = byGroup.get(g) ?? [];
    list.push(run);
    byGroup.set(g, list);
  }
  const tests = metrics.map((metric): MetricTest => {
    const values = new Map<string, number[]>();
    const ids = new Map<string, string[]>();
    let missing = 0;
    for (const [g, members] of byGroup) {
      const vs: number[] = [];
      const rs: string[] = [];
      for (const run of members) {
        const v = summaryValue(run, metric);
        if (v === undefined) missing++;
        else {
          vs.push(v);
          rs.push(run.runId);
        }
      }
      values.set(g, vs);
      ids.set(g, rs);
    }
    const { groups, comparisons } = compareGroups(values);
    return {
      metric,
      groups: groups.map((d) => ({ ...d, runIds: ids.get(d.group) ?? [] })),
      comparisons,
      missing,
    };
  });
  return { groupBy, ungrouped, metrics: tests };
}
