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

export class SummaryFold {
  // A plain scalar's text (parsed at the end, it cannot fail) or any other value parsed at once (so a bad one stops at its record).
  private readonly pending = new Map<string, { path: string[]; json: string; value?: unknown }>();
  /** The pending nested paths (more than one segment) under each first segment. */
  private readonly heads = new Map<string, string[][]>();
  constructor(private readonly target: Record<string, unknown>) {}

  apply(rec: { update?: Item[] | null; remove?: Item[] | null }): void {
    for (const it of rec.update ?? []) {
      const path = itemPath(it);
      const head = path[0] as string;
      const k = path.length === 1 ? `k${head}` : `n${JSON.stringify(path)}`;
      const json = it.value_json ?? '';
      const entry = SCALAR.test(json) ? { path, json } : { path, json, value: parseValueJson(json) };
      const known = this.pending.get(k);
      if (known !== undefined) {
        // Same path: its last value, in the place it first took.
        this.pending.set(k, entry);
        continue;
      }
      const under = this.heads.get(head);
      if ((under !== undefined && under.some((q) => through(q, path))) || (path.length > 1 && this.pending.has(`k${head}`))) this.flush();
      this.pending.set(k, entry);
      if (path.length > 1) {
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
    for (const p of this.pending.values()) setPath(this.target, p.path, 'value' in p ? p.value : parseValueJson(p.json));
    this.pending.clear();
    this.heads.clear();
  }
}
