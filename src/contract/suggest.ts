/**
 * "Did you mean": the nearest known field or value for a name an agent got slightly wrong (case,
 * snake_case, a typo) or put at the wrong level (`metrics` at the top instead of `logData.metrics`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../paths.js';

type SchemaNode = Record<string, unknown>;

/** Fields agents often put at the top level, and where they belong (keys in `normalize` form). */
const TOP_LEVEL_HOMES: Record<string, string> = {
  metrics: 'logData.metrics',
  step: 'logData.step',
  commit: 'logData.commit',
  data: 'logData',
  config: 'runConfig.config',
  name: 'runConfig.name',
  tags: 'runConfig.tags',
  notes: 'runConfig.notes',
  group: 'runConfig.group',
  jobtype: 'runConfig.jobType',
  resume: 'runConfig.resume',
  id: 'runId',
  run: 'runId',
  method: 'sweepConfig.method',
  parameters: 'sweepConfig.parameters',
  metric: 'sweepConfig.metric',
  sweep: 'sweepConfig',
  path: 'artifactConfig.path',
  type: 'artifactConfig.type',
  aliases: 'artifactConfig.aliases',
  artifact: 'artifactConfig',
  title: 'alertConfig.title',
  text: 'alertConfig.text',
  level: 'alertConfig.level',
  alert: 'alertConfig',
  format: 'reportConfig.format',
  outputpath: 'reportConfig.outputPath',
  runids: 'reportConfig.runIds',
  report: 'reportConfig',
};

/** Each action's own object: a top-level field it holds (`title` for an alert) is pointed there first. */
const ACTION_OBJECTS: Record<string, string> = {
  init: 'runConfig',
  log: 'logData',
  sweep: 'sweepConfig',
  artifact: 'artifactConfig',
  alert: 'alertConfig',
  report: 'reportConfig',
};

function fieldsOf(schema: SchemaNode | undefined, name: string): string[] {
  const node = (schema?.['properties'] as Record<string, SchemaNode> | undefined)?.[name];
  const props = node?.['properties'];
  return typeof props === 'object' && props !== null ? Object.keys(props) : [];
}

/** Where values go inside an object whose unknown field is not close to a known one. */
const CATCH_ALL: Record<string, string> = {
  logData: 'metrics',
  runConfig: 'config',
};

/** Lower case without `_`, `-` and spaces: `run_id`, `RunId` and `run-id` all read `runid`. */
export function normalize(name: string): string {
  return name.toLowerCase().replace(/[_\-\s]/g, '');
}

/** Optimal-string-alignment distance (a swap of two neighbours counts 1), stopping above `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, (prev2[j - 2] as number) + 1);
      row.push(d);
      best = Math.min(best, d);
    }
    if (best > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length] as number;
}

function sharedStart(a: string, b: string): number {
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i;
}

/** The candidate `word` most likely meant: same name up to case and `_`/`-`, else within 1-2 edits. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 64) return undefined;
  const w = normalize(word);
  const same = candidates.find((c) => normalize(c) === w);
  if (same !== undefined) return same;
  const allowed = w.length <= 2 ? 0 : w.length <= 4 ? 1 : 2;
  if (allowed === 0) return undefined;
  let best: string | undefined;
  let bestD = allowed + 1;
  for (const c of candidates) {
    const d = editDistance(w, normalize(c), allowed);
    // A tie goes to the candidate sharing the longer start (`ofline` is `offline`, not `online`).
    if (d < bestD || (d === bestD && best !== undefined && sharedStart(w, normalize(c)) > sharedStart(w, normalize(best)))) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

/** The input schema, read when an error needs it (the validators are precompiled without it). */
export function loadInputSchema(): SchemaNode | undefined {
  try {
    return JSON.parse(readFileSync(join(packageRoot(import.meta.url), 'schemas', 'input.schema.json'), 'utf8')) as SchemaNode;
  } catch {
    return undefined; // suggestions are a help, never a new failure
  }
}

/** The schema node an ajv schemaPath (`#/properties/runConfig/additionalProperties`) names, minus its last keyword. */
function parentNode(schema: SchemaNode, schemaPath: string): SchemaNode | undefined {
  const segments = schemaPath.replace(/^#\/?/, '').split('/').slice(0, -1);
  let node: unknown = schema;
  for (const s of segments) {
    if (s === '') continue;
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as SchemaNode)[s.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return typeof node === 'object' && node !== null ? (node as SchemaNode) : undefined;
}

function join2(parent: string, key: string): string {
  return parent === '' ? key : `${parent}.${key}`;
}

/**
 * A hint for an unknown field `key` of the object at `parent` (dotted), given ajv's schemaPath of the
 * `additionalProperties` error: the known field it resembles, else where such a field belongs.
 */
export function suggestField(schema: SchemaNode | undefined, schemaPath: string, parent: string, key: string, action?: unknown): string | undefined {
  const node = schema === undefined ? undefined : parentNode(schema, schemaPath);
  const props = node?.['properties'];
  const known = typeof props === 'object' && props !== null ? Object.keys(props) : [];
  const near = closest(key, known);
  if (near !== undefined) return `did you mean "${join2(parent, near)}"?`;
  if (parent === '') {
    const own = typeof action === 'string' ? ACTION_OBJECTS[action] : undefined;
    const inOwn = own === undefined ? undefined : fieldsOf(schema, own).find((f) => normalize(f) === normalize(key));
    if (own !== undefined && inOwn !== undefined) return `did you mean "${own}.${inOwn}"? (it is not a top-level field)`;
    const home = TOP_LEVEL_HOMES[normalize(key)];
    if (home !== undefined) return `did you mean "${home}"? (it is not a top-level field)`;
    return undefined;
  }
  // A top-level field written inside an object (`artifactConfig.operation`) belongs at the top.
  const topProps = schema?.['properties'];
  const top = typeof topProps === 'object' && topProps !== null ? Object.keys(topProps).find((f) => normalize(f) === normalize(key)) : undefined;
  if (top !== undefined) return `did you mean "${top}"? (it is a top-level field, not part of ${parent})`;
  const inner = CATCH_ALL[parent];
  if (inner !== undefined && key.length <= 64) return `did you mean "${parent}.${inner}.${key}"? (${parent} only holds ${known.join(', ')})`;
  return undefined;
}

/** A hint for a string value not in an enum (`initt`, `Log`, `Offline`). */
export function suggestValue(value: unknown, allowed: readonly unknown[]): string | undefined {
  if (typeof value !== 'string') return undefined;
  const near = closest(
    value,
    allowed.filter((v): v is string => typeof v === 'string'),
  );
  return near === undefined ? undefined : `did you mean "${near}"?`;
}
