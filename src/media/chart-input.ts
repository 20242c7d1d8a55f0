/**
 * Readers for chart inputs: each returns the field's value in a checked shape or throws
 * INVALID_INPUT naming the exact field (`logData.metrics.<key>.<field>[i]`).
 */
import { mediaInvalid } from './issues.js';
import { columnsOf } from './table.js';

export interface ChartTable {
  columns: string[];
  data: unknown[][];
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A required or optional string field. */
export function stringField(input: Record<string, unknown>, field: string, issue: string, required: true): string;
export function stringField(input: Record<string, unknown>, field: string, issue: string, required?: false): string | undefined;
export function stringField(input: Record<string, unknown>, field: string, issue: string, required = false): string | undefined {
  const v = input[field];
  if (v === undefined || v === null) {
    if (required) throw mediaInvalid(`${issue}.${field}`, 'required');
    return undefined;
  }
  if (typeof v !== 'string' || v.length === 0) throw mediaInvalid(`${issue}.${field}`, 'must be a non-empty string');
  return v;
}

/** An integer field within [min, max], or `fallback` when absent. */
export function intField(input: Record<string, unknown>, field: string, issue: string, fallback: number, min: number, max: number): number {
  const v = input[field];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw mediaInvalid(`${issue}.${field}`, `must be an integer from ${min} to ${max}`);
  }
  return v;
}

/** An array of non-negative integers (class indices). */
export function classIndices(input: Record<string, unknown>, field: string, issue: string): number[] {
  const v = input[field];
  if (!Array.isArray(v)) throw mediaInvalid(`${issue}.${field}`, 'must be an array of class indices (integers from 0)');
  v.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isSafeInteger(x) || x < 0) {
      throw mediaInvalid(`${issue}.${field}[${i}]`, 'must be a class index (an integer from 0)');
    }
  });
  return v as number[];
}

/** An array of finite numbers. */
export function finiteNumbers(value: unknown, issue: string): number[] {
  if (!Array.isArray(value)) throw mediaInvalid(issue, 'must be an array of numbers');
  value.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw mediaInvalid(`${issue}[${i}]`, 'must be a finite number (NaN and Infinity are refused)');
  });
  return value as number[];
}

/** Rows of finite scores, one row per sample, all of one width (the class count). */
export function scoreRows(input: Record<string, unknown>, field: string, issue: string, samples: number, width?: number): number[][] {
  const v = input[field];
  const at = `${issue}.${field}`;
  if (!Array.isArray(v)) throw mediaInvalid(at, 'must be an array of rows, one per sample, with a score per class');
  if (v.length !== samples) throw mediaInvalid(at, `has ${v.length} rows, yTrue has ${samples} entries`);
  const cols = width ?? (Array.isArray(v[0]) ? v[0].length : 0);
  if (samples > 0 && cols === 0) throw mediaInvalid(`${at}[0]`, 'must be a non-empty array with a score per class');
  v.forEach((row, i) => {
    const rowAt = `${at}[${i}]`;
    if (!Array.isArray(row)) throw mediaInvalid(rowAt, 'must be an array with a score per class');
    if (row.length !== cols) throw mediaInvalid(rowAt, `has ${row.length} scores, expected ${cols} (one per class)`);
    finiteNumbers(row, rowAt);
  });
  return v as number[][];
}

/** An optional array of non-empty strings. */
export function stringList(input: Record<string, unknown>, field: string, issue: string): string[] | undefined {
  const v = input[field];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw mediaInvalid(`${issue}.${field}`, 'must be an array of strings');
  v.forEach((x, i) => {
    if (typeof x !== 'string') throw mediaInvalid(`${issue}.${field}[${i}]`, 'must be a string');
  });
  return v as string[];
}

/** A chart's table with a way to name one cell of the input in an issue path. */
export interface ReadTable {
  table: ChartTable;
  /** The input path of the chart's table (`<issue>.table` or the chart itself). */
  issue: string;
  cell(row: number, col: number): string;
}

/**
 * The table of a line, scatter, bar or histogram chart: `table: {columns, data}` (or `{rows}`),
 * else `columns` + `data` on the chart itself, else `data` (or `rows`) as an array of objects.
 */
export function chartTable(input: Record<string, unknown>, issue: string): ReadTable {
  const data = input['data'];
  if (input['table'] !== undefined) {
    const t = input['table'];
    const at = `${issue}.table`;
    if (!isPlainObject(t)) throw mediaInvalid(at, 'must be an object with columns and data (or rows)');
    const table = columnsOf(t, at);
    const rowsForm = t['rows'] !== undefined;
    return { table, issue: at, cell: (i, j) => (rowsForm ? `${at}.rows[${i}].${table.columns[j] ?? ''}` : `${at}.data[${i}][${j}]`) };
  }
  const rowsField =
    input['rows'] !== undefined
      ? 'rows'
      : Array.isArray(data) && data.length > 0 && data.every(isPlainObject) && input['columns'] === undefined
        ? 'data'
        : undefined;
  if (rowsField !== undefined) {
    // Rows of objects (under `rows`, or under `data` when every entry is an object).
    const table = columnsOf({ rows: input[rowsField], columns: input['columns'] }, issue);
    return { table, issue, cell: (i, j) => `${issue}.${rowsField}[${i}].${table.columns[j] ?? ''}` };
  }
  if (input['columns'] === undefined && data === undefined) throw mediaInvalid(`${issue}.table`, 'required: the chart data as {columns, data}');
  return { table: columnsOf({ columns: input['columns'], data }, issue), issue, cell: (i, j) => `${issue}.data[${i}][${j}]` };
}

/** The index of column `name`, or INVALID_INPUT at `<issue>.<field>`. */
export function columnIndex(table: ChartTable, name: string, issue: string, field: string): number {
  const i = table.columns.indexOf(name);
  if (i < 0) throw mediaInvalid(`${issue}.${field}`, `no column "${name}" in the table (columns: ${table.columns.join(', ')})`);
  return i;
}

/** Requires every cell of column `col` to be a number (or null, drawn as a gap). */
export function numericColumn(read: ReadTable, col: number): void {
  read.table.data.forEach((row, i) => {
    const v = row[col];
    if (v !== null && typeof v !== 'number') {
      throw mediaInvalid(read.cell(i, col), `column "${read.table.columns[col] ?? ''}" is plotted on a numeric axis; got ${JSON.stringify(v)}`);
    }
  });
}
