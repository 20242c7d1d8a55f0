/**
 * A run's summary from its summary records, applied in order but parsed once per key: W&B's Python
 * client writes two summary records per step, each naming every key, so only each key's last value
 * is parsed, at the end. Paths are set in the order they first appeared, each with its last value:
 * what applying every update in order gives (the same keys in the same order), as long as no pending
 * path runs through another (`val` and `val.acc`): such an update, and a remove, first apply what
 * is pending.
 */
import { SCALAR, deletePath, itemPath, parseValueJson, setPath } from './records.js';
import { NOT, scalarKind } from './json-scalar.js';
import { TAG_SUMMARY, newItemRanges, recordBody, scanItems, type ItemRanges } from './proto-scan.js';
import { keepPaths, matchItems, pathAt, plainKey } from './item-paths.js';

type Item = { key?: string | null; nested_key?: string[] | null; value_json?: string | null };

/** True when one path is a strict prefix of the other. */
function through(a: readonly string[], b: readonly string[]): boolean {
  if (a.length === b.length) return false;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

interface Entry {
  path: string[];
  /** The value's text (a plain scalar, parsed at the end: it cannot fail) or, when `parsed`, its value parsed at once (a bad one stops at its record). */
  json: string;
  parsed: boolean;
  value: unknown;
  /** Set instead of `json` by a record read from its bytes: the value's text is src[s, e). */
  src: Buffer | undefined;
  s: number;
  e: number;
}

/** A summary record's paths (their bytes) and the pending entries they name, valid while `gen` is the fold's. */
interface Plan {
  keys: Buffer;
  paths: ItemRanges;
  entries: Entry[];
  gen: number;
}

/** Plans kept: the Python client alternates two record shapes a step. */
const PLANS = 4;

export class SummaryFold {
  // Pending paths in the order they first appeared; one-segment paths by key, longer ones by their JSON.
  private readonly order: Entry[] = [];
  private readonly singles = new Map<string, Entry>();
  private readonly nested = new Map<string, Entry>();
  /** The pending nested paths under each first segment. */
  private readonly heads = new Map<string, string[][]>();
  // Flushes so far: a plan's entries are pending while its gen is this.
  private gen = 0;
  private readonly plans: Plan[] = [];
  private readonly cur = newItemRanges();
  private readonly c = { v: 0, p: 0, t: 0 };
  constructor(private readonly target: Record<string, unknown>) {}

  apply(rec: { update?: Item[] | null; remove?: Item[] | null }): void {
    for (const it of rec.update ?? []) {
      const json = it.value_json ?? '';
      const parsed = !SCALAR.test(json);
      const value = parsed ? parseValueJson(json) : undefined;
      const path = it.nested_key && it.nested_key.length > 0 ? it.nested_key : [it.key ?? ''];
      const head = path[0] as string;
      const single = path.length === 1;
      const k = single ? head : JSON.stringify(path);
      const known = single ? this.singles.get(k) : this.nested.get(k);
      if (known !== undefined) {
        // Same path: its last value, in the place it first took.
        known.json = json;
        known.parsed = parsed;
        known.value = value;
        known.src = undefined;
        continue;
      }
      const under = this.heads.get(head);
      if (single ? under !== undefined : this.singles.has(head) || (under !== undefined && under.some((q) => through(q, path)))) this.flush();
      const e: Entry = { path, json, parsed, value, src: undefined, s: 0, e: 0 };
      this.order.push(e);
      if (single) this.singles.set(k, e);
      else {
        this.nested.set(k, e);
        const list = this.heads.get(head);
        if (list === undefined) this.heads.set(head, [path]);
        else list.push(path);
      }
    }
    const remove = rec.remove ?? [];
    if (remove.length > 0) {
      this.flush();
      for (const it of remove) deletePath(this.target, itemPath(it));
    }
  }

  /**
   * Applies a summary record from its bytes when its paths are those of a record applied since the
   * last flush (every one pending) and its values are plain scalars: only the entries' values change,
   * kept as byte ranges. False: nothing done, decode and `apply` it (then `learn` it).
   */
  applyBytes(rec: Buffer, start = 0, end = rec.length): boolean {
    const { c, cur: r } = this;
    if (!recordBody(rec, TAG_SUMMARY, c, start, end)) return false;
    const s = c.v;
    const e = c.p;
    let plan: Plan | undefined;
    for (const p of this.plans) {
      if (p.gen === this.gen && matchItems(rec, s, e, false, p.paths, p.keys, r, c)) {
        plan = p;
        break;
      }
    }
    if (plan === undefined) return false;
    for (let i = 0; i < r.n; i++) {
      const vs = r.valS[i] as number;
      const ve = r.valE[i] as number;
      if (vs < 0 || ve === vs || scalarKind(rec, vs, ve) === NOT) return false;
    }
    for (let i = 0; i < r.n; i++) {
      const e = plan.entries[i] as Entry;
      e.src = rec;
      e.s = r.valS[i] as number;
      e.e = r.valE[i] as number;
      e.parsed = false;
      e.value = undefined;
    }
    return true;
  }

  /** Remembers the paths of a record just applied with `apply`, so the next one like it takes `applyBytes`. */
  learn(rec: Buffer): void {
    const { c, cur: r } = this;
    if (!recordBody(rec, TAG_SUMMARY, c) || !scanItems(rec, c.v, c.p, false, r, c) || r.n === 0) return;
    const segs = (r.segFrom[r.n - 1] as number) + (r.segN[r.n - 1] as number);
    for (let x = 0; x < segs; x++) if (!plainKey(rec, r.segS[x] as number, r.segE[x] as number)) return;
    const entries: Entry[] = [];
    for (let i = 0; i < r.n; i++) {
      const path = pathAt(rec, r, i);
      const e = path.length === 1 ? this.singles.get(path[0] as string) : this.nested.get(JSON.stringify(path));
      if (e === undefined) return;
      entries.push(e);
    }
    const kept = keepPaths(rec, r);
    if (this.plans.length === PLANS) this.plans.shift();
    this.plans.push({ keys: kept.bytes, paths: kept.ranges, entries, gen: this.gen });
  }

  /** Copies the pending values read from a record's bytes, before those bytes are reused. */
  detach(): void {
    for (const e of this.order) {
      if (e.src === undefined) continue;
      e.json = e.src.toString('latin1', e.s, e.e);
      e.src = undefined;
    }
  }

  /** Applies what is pending. */
  flush(): void {
    this.gen++;
    for (const e of this.order) {
      const json = e.src === undefined ? e.json : e.src.toString('latin1', e.s, e.e);
      setPath(this.target, e.path, e.parsed ? e.value : parseValueJson(json));
    }
    this.order.length = 0;
    this.singles.clear();
    this.nested.clear();
    this.heads.clear();
  }
}
