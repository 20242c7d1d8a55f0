/**
 * A run's summary from its summary records, applied in order but parsed once per key: W&B's Python
 * client writes two summary records per step, each naming every key, so only each key's last value
 * is parsed, at the end. Paths are set in the order they first appeared, each with its last value:
 * what applying every update in order gives (the same keys in the same order), as long as no pending
 * path runs through another (`val` and `val.acc`): such an update, and a remove, first apply what
 * is pending.
 */
import { SCALAR, deletePath, itemPath, parseValueJson, setPath } from './records.js';

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
}

export class SummaryFold {
  // Pending paths in the order they first appeared; one-segment paths by key, longer ones by their JSON.
  private readonly order: Entry[] = [];
  private readonly singles = new Map<string, Entry>();
  private readonly nested = new Map<string, Entry>();
  /** The pending nested paths under each first segment. */
  private readonly heads = new Map<string, string[][]>();
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
        continue;
      }
      const under = this.heads.get(head);
      if (single ? under !== undefined : this.singles.has(head) || (under !== undefined && under.some((q) => through(q, path)))) this.flush();
      const e: Entry = { path, json, parsed, value };
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

  /** Applies what is pending. */
  flush(): void {
    for (const e of this.order) setPath(this.target, e.path, e.parsed ? e.value : parseValueJson(e.json));
    this.order.length = 0;
    this.singles.clear();
    this.nested.clear();
    this.heads.clear();
  }
}
