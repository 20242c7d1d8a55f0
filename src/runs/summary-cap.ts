/**
 * Outputs show at most SUMMARY_OUTPUT_KEYS keys of a run's summary: a run with 200,000 metrics
 * would otherwise print megabytes at an agent. The store keeps every key; a JSON report reads them all.
 */
export const SUMMARY_OUTPUT_KEYS = 200;

type Obj = Record<string, unknown>;

// Media, tables and charts are one value each (W&B's descriptors carry `_type`), not nested metrics.
function isNested(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !('_type' in v);
}

/** The number of keys, counting a nested metric's leaves (`{val: {acc, loss}}` is 2). */
export function countSummaryKeys(summary: Obj): number {
  let n = 0;
  const stack: Obj[] = [summary];
  while (stack.length > 0) {
    for (const v of Object.values(stack.pop() as Obj)) {
      if (isNested(v) && Object.keys(v).length > 0) stack.push(v);
      else n++;
    }
  }
  return n;
}

// A plain assignment of `__proto__` would set the prototype instead of keeping the key.
function put(obj: Obj, k: string, v: unknown): void {
  Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
}

function take(summary: Obj, budget: { left: number }, depth: number): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(summary)) {
    if (budget.left <= 0) break;
    if (isNested(v) && Object.keys(v).length > 0 && depth < 64) {
      const inner = take(v, budget, depth + 1);
      if (Object.keys(inner).length > 0) put(out, k, inner);
    } else {
      put(out, k, v);
      budget.left--;
    }
  }
  return out;
}

export interface CappedSummary {
  summary: Obj;
  /** Set when keys were left out: how many the whole summary has. */
  total?: number;
}

/**
 * The summary as an output shows it: unchanged up to `limit` keys; beyond, W&B's own `_` keys
 * (`_step`, `_runtime`, `_wandb`, ...) first, then the others in their order, up to `limit`.
 */
export function capSummary(summary: Obj, limit: number = SUMMARY_OUTPUT_KEYS): CappedSummary {
  const total = countSummaryKeys(summary);
  if (total <= limit) return { summary };
  const system: Obj = {};
  const rest: Obj = {};
  for (const [k, v] of Object.entries(summary)) put(k.startsWith('_') ? system : rest, k, v);
  const budget = { left: limit };
  return { summary: { ...take(system, budget, 0), ...take(rest, budget, 0) }, total };
}

/**
 * The warning beside a cut summary: how many keys were left out and how to read them all (the
 * call names the project, or it would read the default project and answer NOT_FOUND).
 */
export function summaryCapWarning(runIds: readonly string[], total: number, shown: number = SUMMARY_OUTPUT_KEYS, project?: string): string {
  const which = runIds.length === 1 ? `run ${runIds[0] ?? ''}'s summary has ${total} keys` : `${runIds.length} runs' summaries have up to ${total} keys`;
  return (
    `${which}; this output shows ${shown} of them (W&B's _ keys first; summaryKeys says how many there are). ` +
    `Read them all with {"action":"report",${project === undefined ? '' : `"project":${JSON.stringify(project)},`}"reportConfig":{"format":"json","runIds":${JSON.stringify(runIds.slice(0, 5))},"metrics":["<a metric>"]}} ` +
    `(its file holds every summary key; "metrics" keeps it from charting them all)`
  );
}
