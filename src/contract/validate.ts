import { SkillError, clipText, type ErrorIssue } from '../errors.js';
import { closest, loadInputSchema, suggestField, suggestValue } from './suggest.js';
import { assertDepth } from './depth.js';
import { validateInput, validateOutput } from './validators.generated.js';
import type { SkillInput, SkillOutput } from './types.generated.js';

interface AjvError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

// Friendlier words for the patterns of the schema's definitions (W&B's character rules).
const PATTERN_MESSAGES: Record<string, string> = {
  projectName: 'W&B project names cannot contain / \\ # ? % : or control characters',
  entityName: 'W&B entity names cannot contain / \\ # ? % : or spaces',
  runId: "W&B run ids cannot contain : ; , # ? / ' \\ or control characters, start or end with a space, or be . or ..",
};

function dotted(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

function join(base: string, key: string): string {
  return base === '' ? key : `${base}.${key}`;
}

/** The value at an ajv instancePath (`/logData/metrics`) of `data`. */
function valueAt(data: unknown, instancePath: string): unknown {
  let v = data;
  for (const s of instancePath.split('/').slice(1)) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<string, unknown>)[s.replace(/~1/g, '/').replace(/~0/g, '~')];
  }
  return v;
}

/** What `toIssues` needs to add "did you mean" hints: the validated data and its schema. */
export interface SuggestSource {
  data: unknown;
  schema: Record<string, unknown> | undefined;
}

/** Turns ajv's errors into `{path, message}` issues that name the field in the caller's terms (with hints when `source` is given). */
export function toIssues(errors: readonly AjvError[], source?: SuggestSource): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    let path = dotted(e.instancePath);
    let message: string;
    switch (e.keyword) {
      case 'if':
      case 'anyOf':
        continue; // the branch errors beside it say what is wrong
      case 'additionalProperties': {
        const key = String(e.params['additionalProperty']);
        const hint =
          source === undefined ? undefined : suggestField(source.schema, e.schemaPath, path, key, (source.data as { action?: unknown } | null)?.action);
        path = join(path, key);
        message = hint === undefined ? 'is not a known field' : `is not a known field; ${hint}`;
        break;
      }
      case 'required':
        path = join(path, String(e.params['missingProperty']));
        message = 'is required';
        break;
      case 'enum': {
        const allowed = e.params['allowedValues'] as unknown[];
        const hint = source === undefined ? undefined : suggestValue(valueAt(source.data, e.instancePath), allowed);
        message = `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}${hint === undefined ? '' : `; ${hint}`}`;
        break;
      }
      case 'pattern': {
        const def = /#\/definitions\/(\w+)\//.exec(e.schemaPath)?.[1];
        message = (def !== undefined ? PATTERN_MESSAGES[def] : undefined) ?? e.message ?? 'has characters that are not allowed';
        break;
      }
      case 'propertyNames':
        path = join(path, String(e.params['propertyName']));
        message = 'is not an allowed key (1 to 256 characters)';
        break;
      default:
        message = e.message ?? 'is invalid';
    }
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push({ path: path === '' ? '(context)' : path, message });
  }
  return issues;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A context without `action` gets that one issue, first and alone: nothing else can be judged without it. */
function assertHasAction(context: unknown): void {
  if (!isRecord(context) || context['action'] !== undefined) return;
  const schema = loadInputSchema();
  const actionNode = (schema?.['properties'] as Record<string, { enum?: unknown[] }> | undefined)?.['action'];
  const actions = (actionNode?.enum ?? []).map((a) => JSON.stringify(a)).join(', ');
  const near = Object.keys(context).find((k) => closest(k, ['action']) !== undefined);
  const hint = near === undefined ? '' : ` (found ${JSON.stringify(clipText(near, 64))}: did you mean "action"?)`;
  const message = `is required: one of ${actions}${hint}`;
  throw new SkillError('INVALID_INPUT', `invalid input: action ${message}`, { details: { issues: [{ path: 'action', message }] } });
}

/**
 * Validates a context against schemas/input.schema.json; throws INVALID_INPUT listing every issue,
 * with "did you mean" hints. The nesting depth is checked first (iteratively): validation recurses.
 */
export function assertValidInput(context: unknown): SkillInput {
  assertDepth(context);
  assertHasAction(context);
  const v = validateInput as Validator;
  if (v(context)) return context as SkillInput;
  const issues = toIssues(v.errors ?? [], { data: context, schema: loadInputSchema() });
  const text = issues
    .slice(0, 5)
    .map((i) => `${clipText(i.path, 200)} ${clipText(i.message, 300)}`)
    .join('; ');
  throw new SkillError('INVALID_INPUT', `invalid input: ${text}${issues.length > 5 ? ` (+${issues.length - 5} more)` : ''}`, {
    details: { issues },
  });
}

/** Checks an output against schemas/output.schema.json; returns the issues (empty when valid). */
export function outputIssues(output: unknown): ErrorIssue[] {
  const v = validateOutput as Validator;
  return v(output) ? [] : toIssues(v.errors ?? []);
}

export type { SkillInput, SkillOutput };
