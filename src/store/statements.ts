import type { Database, Statement } from 'better-sqlite3';

/**
 * Statements prepared on first use, then kept: a family whose hot path needs one statement (log()'s
 * alert-rules lookup) does not pay for preparing the rest in a one-call process.
 */
export function lazyStatements<K extends string>(db: Database, sql: Record<K, string>): Record<K, Statement> {
  const out = {} as Record<K, Statement>;
  for (const name of Object.keys(sql) as K[]) {
    let stmt: Statement | undefined;
    Object.defineProperty(out, name, { enumerable: true, get: () => (stmt ??= db.prepare(sql[name])) });
  }
  return out;
}
