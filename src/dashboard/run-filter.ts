/**
 * Filters on a run's config, summary and facts, as the workspace's filter bar writes them:
 * `optimizer = sgd`, `lr < 1e-3`, `summary.val/acc > 0.8`, `state = crashed`, `group = resnet`,
 * `job_type = train`, `sweep = abc`, `name ~ conv`. A bare key is looked up in the config first,
 * then in the summary. Several filters must all hold. Parsed at the boundary: a malformed one is a
 * 400 naming the filter.
 */
import type { RunRecord } from '../store/index.js';
import { getPath } from '../report/extract.js';
import { HttpError } from './http.js';

export type FilterOp = '=' | '!=' | '<' | '<=' | '>' | '>=' | '~';

export interface RunFilter {
  key: string;
  op: FilterOp;
  value: string;
}

const FACTS = new Set(['state', 'group', 'job_type', 'jobType', 'sweep', 'name', 'id', 'tag', 'tags']);

/** Parses `key op value`; the key may hold spaces only when it is quoted in backticks. */
export function parseFilter(text: string): RunFilter {
  const m = /^\s*(`[^`]+`|[^\s<>=!~]+)\s*(!=|<=|>=|=|<|>|~)\s*(.*?)\s*$/.exec(text);
  if (!m || m[3] === '')
    throw new HttpError(400, 'INVALID_INPUT', `cannot read the filter ${JSON.stringify(text)}`, [
      { path: 'f', message: 'key op value, with op one of = != < <= > >= ~ (contains), e.g. "lr < 1e-3"' },
    ]);
  const key = (m[1] as string).replace(/^`|`$/g, '');
  return { key, op: m[2] as FilterOp, value: (m[3] as string).replace(/^"(.*)"$/, '$1') };
}

function compare(v: unknown, op: FilterOp, want: string): boolean {
  if (v === undefined || v === null) return op === '!=';
  if (Array.isArray(v)) return op === '!=' ? !v.some((x) => compare(x, '=', want)) : v.some((x) => compare(x, op, want));
  const n = Number(want);
  if (typeof v === 'number' && want.trim() !== '' && (Number.isFinite(n) || /^[+-]?(inf|infinity|nan)$/i.test(want))) {
    const w = /^nan$/i.test(want) ? NaN : /^-inf/i.test(want) ? -Infinity : /^\+?inf/i.test(want) ? Infinity : n;
    switch (op) {
      case '=':
        return v === w || (Number.isNaN(v) && Number.isNaN(w));
      case '!=':
        return !(v === w || (Number.isNaN(v) && Number.isNaN(w)));
      case '<':
        return v < w;
      case '<=':
        return v <= w;
      case '>':
        return v > w;
      case '>=':
        return v >= w;
      case '~':
        return String(v).includes(want);
    }
  }
  const s = typeof v === 'object' ? JSON.stringify(v) : String(v);
  switch (op) {
    case '=':
      return s === want;
    case '!=':
      return s !== want;
    case '~':
      return s.toLowerCase().includes(want.toLowerCase());
    default: {
      const c = s.localeCompare(want);
      return op === '<' ? c < 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c >= 0;
    }
  }
}

function factOf(run: RunRecord, key: string): unknown {
  switch (key) {
    case 'state':
      return run.state;
    case 'group':
      return run.group;
    case 'job_type':
    case 'jobType':
      return run.jobType;
    case 'sweep':
      return run.sweepId;
    case 'name':
      return run.displayName;
    case 'id':
      return run.id;
    default:
      return run.tags;
  }
}

/** A value of the run at `key` (a fact, `config.x`, `summary.x`, or a bare key: config, then summary). */
export function runValue(run: RunRecord, summary: Record<string, unknown>, key: string): unknown {
  if (FACTS.has(key)) return factOf(run, key);
  if (key.startsWith('config.')) return getPath(run.config, key.slice(7));
  if (key.startsWith('summary.')) return getPath(summary, key.slice(8));
  const c = getPath(run.config, key);
  return c !== undefined ? c : getPath(summary, key);
}

/** True when every filter holds for the run. */
export function matchesAll(run: RunRecord, summary: Record<string, unknown>, filters: readonly RunFilter[]): boolean {
  return filters.every((f) => compare(runValue(run, summary, f.key), f.op, f.value));
}
