/** What every GraphQL operation wrapper shares: variable cleaning and "the server returned no X". */
import { SkillError } from '../errors.js';

/** Drops `undefined` values so variables are either set or absent (absent = GraphQL null). */
export function vars(input: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (v !== undefined) out[k] = v;
  return out;
}

/** The error for an answer that lacks the object an operation exists to return. */
export function missing(operation: string, what: string): SkillError {
  return new SkillError('BACKEND_UNAVAILABLE', `${operation}: the server returned no ${what}`, { details: { operation } });
}

/** `value`, or `missing(...)` thrown when the server left it out. */
export function required<T>(value: T | null | undefined, operation: string, what: string): T {
  if (value === null || value === undefined) throw missing(operation, what);
  return value;
}
