/** Validation of a custom panel sent by the page: a name and a Vega-Lite spec object, size-capped. */
import type { Panel } from '../store/panels.js';
import { HttpError } from './http.js';

/** Largest panel body accepted (a spec is a few KiB; this leaves room without inviting abuse). */
export const MAX_PANEL_BYTES = 256 * 1024;

const VIEW_KEYS = ['mark', 'layer', 'concat', 'hconcat', 'vconcat', 'facet', 'repeat'];

/** Parses and checks a panel body; every failure is a coded 400 naming the field. */
export function parsePanel(body: string, project: string, now: number): Panel {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new HttpError(400, 'INVALID_INPUT', 'the body is not valid JSON', [{ path: '', message: 'must be a JSON object' }]);
  }
  const issues: Array<{ path: string; message: string }> = [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new HttpError(400, 'INVALID_INPUT', 'the body must be a JSON object {name, spec}', [{ path: '', message: 'must be an object' }]);
  }
  const { name, spec, ...rest } = value as Record<string, unknown>;
  for (const k of Object.keys(rest)) issues.push({ path: k, message: 'unknown field' });
  if (typeof name !== 'string' || name.trim() === '' || name.length > 128)
    issues.push({ path: 'name', message: 'a non-empty string of at most 128 characters' });
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) issues.push({ path: 'spec', message: 'must be a Vega-Lite specification object' });
  else if (!VIEW_KEYS.some((k) => k in spec)) issues.push({ path: 'spec', message: `a Vega-Lite view needs one of ${VIEW_KEYS.join(', ')}` });
  if (issues.length > 0)
    throw new HttpError(400, 'INVALID_INPUT', `invalid panel: ${issues.map((i) => `${i.path || 'body'} ${i.message}`).join('; ')}`, issues);
  return { project, name: (name as string).trim(), spec: spec as Record<string, unknown>, createdAt: now / 1000 };
}

/** Parses `{name}` (the body of a delete); a coded 400 otherwise. */
export function parsePanelName(body: string): string {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    value = undefined;
  }
  const name = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)['name'] : undefined;
  if (typeof name !== 'string' || name.trim() === '' || name.length > 128)
    throw new HttpError(400, 'INVALID_INPUT', 'the body must be {name}: a non-empty string of at most 128 characters', [{ path: 'name', message: 'required' }]);
  return name.trim();
}
