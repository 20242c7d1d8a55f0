/**
 * W&B tables: the file body `{"columns": [...], "data": [[...], ...]}` and the `table-file`
 * descriptor fields. A run keeps at most 10,000 rows of a table (`Table.MAX_ROWS`): W&B cuts a
 * longer one with a log line; here it is refused (nothing is lost silently) unless the input says
 * `"truncate": true`, which cuts it as W&B does. As in W&B's SDK, `nrows` is the row count of the
 * logged table, not of the cut file, and non-finite numbers are written as the bare tokens
 * NaN/Infinity/-Infinity, as Python's json module does.
 */
import { randomUUID } from 'node:crypto';
import { mediaInvalid, tableTooLong } from './issues.js';

export const TABLE_MAX_ROWS = 10_000;

export interface PreparedTable {
  body: Buffer;
  ncols: number;
  nrows: number;
  /** Set when the file holds fewer rows than the input. */
  cutFrom?: number;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function cell(row: Record<string, unknown>, column: string): unknown {
  return Object.hasOwn(row, column) ? (row[column] ?? null) : null;
}

/** A table input (`columns` + `data`, or `rows` of objects) as columns and row arrays, checked. */
export function columnsOf(input: Record<string, unknown>, issue: string): { columns: string[]; data: unknown[][] } {
  if (input['rows'] !== undefined) {
    const rows = input['rows'];
    if (!Array.isArray(rows)) throw mediaInvalid(`${issue}.rows`, 'must be an array of objects');
    const columns: string[] = [];
    const seen = new Set<string>();
    rows.forEach((row, i) => {
      if (!isPlainObject(row)) throw mediaInvalid(`${issue}.rows[${i}]`, 'must be an object');
      for (const k of Object.keys(row))
        if (!seen.has(k)) {
          seen.add(k);
          columns.push(k);
        }
    });
    if (Array.isArray(input['columns'])) {
      // Explicit columns pick and order the fields; missing cells become null.
      return columnsOf(
        { columns: input['columns'], data: rows.map((r: Record<string, unknown>) => (input['columns'] as unknown[]).map((c) => cell(r, String(c)))) },
        issue,
      );
    }
    return { columns, data: rows.map((r: Record<string, unknown>) => columns.map((c) => cell(r, c))) };
  }
  const columns = input['columns'];
  const data = input['data'] ?? [];
  if (!Array.isArray(columns) || columns.length === 0) throw mediaInvalid(`${issue}.columns`, 'must be a non-empty array of strings');
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    if (typeof c !== 'string') throw mediaInvalid(`${issue}.columns[${i}]`, 'must be a string');
    if (seen.has(c)) throw mediaInvalid(`${issue}.columns[${i}]`, `duplicate column "${c}"`);
    seen.add(c);
  });
  if (!Array.isArray(data)) throw mediaInvalid(`${issue}.data`, 'must be an array of rows');
  data.forEach((row, i) => {
    if (!Array.isArray(row)) throw mediaInvalid(`${issue}.data[${i}]`, 'must be an array');
    if (row.length !== columns.length) {
      throw mediaInvalid(`${issue}.data[${i}]`, `has ${row.length} cells, the table has ${columns.length} columns`);
    }
  });
  return { columns: columns as string[], data: data as unknown[][] };
}

/** JSON text where non-finite numbers are bare NaN/Infinity tokens (Python's json.dumps output). */
export function jsonWithNonFinite(value: unknown): string {
  const mark = `__nonfinite_${randomUUID()}__`;
  const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? `${mark}${String(v)}` : v));
  return text.replace(new RegExp(`"${mark}(NaN|Infinity|-Infinity)"`, 'g'), '$1');
}

/** Validates a table input and builds its file body. */
export function prepareTable(input: Record<string, unknown>, issue: string, isMedia: (v: unknown) => boolean): PreparedTable {
  const { columns, data } = columnsOf(input, issue);
  data.forEach((row, i) =>
    row.forEach((cell, j) => {
      if (isMedia(cell)) throw mediaInvalid(`${issue}.data[${i}][${j}]`, 'media inside table cells is not supported');
    }),
  );
  const truncate = input['truncate'];
  if (truncate !== undefined && typeof truncate !== 'boolean') throw mediaInvalid(`${issue}.truncate`, 'must be true or false');
  if (data.length > TABLE_MAX_ROWS && truncate !== true) throw tableTooLong(issue, data.length, TABLE_MAX_ROWS);
  const kept = data.length > TABLE_MAX_ROWS ? data.slice(0, TABLE_MAX_ROWS) : data;
  let text: string;
  try {
    text = jsonWithNonFinite({ columns, data: kept });
  } catch (err) {
    throw mediaInvalid(issue, `table cells must be JSON values (${err instanceof Error ? err.message : String(err)})`, err);
  }
  const out: PreparedTable = { body: Buffer.from(text, 'utf8'), ncols: columns.length, nrows: data.length };
  if (kept.length < data.length) out.cutFrom = data.length;
  return out;
}
