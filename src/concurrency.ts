/** Running async work over a list with a bounded number in flight. */

/**
 * Calls `fn` for every item, at most `limit` at a time. After a failure no further item is
 * started; the call rejects with the first error once the items in flight have settled.
 * @example
 * await forEachLimit(files, 8, (f) => upload(f));
 */
export async function forEachLimit<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  let first: unknown;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        await fn(items[i] as T, i);
      } catch (err) {
        if (!failed) first = err;
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, () => worker()));
  if (failed) throw first;
}

/**
 * `fn` over every item, at most `limit` at a time; resolves with the results in item order. A
 * failure rejects, as in `forEachLimit`.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  await forEachLimit(items, limit, async (item, i) => {
    out[i] = await fn(item, i);
  });
  return out;
}
