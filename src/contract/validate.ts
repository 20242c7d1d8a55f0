import { SkillError, type ErrorIssue } from '../errors.js';
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

/** Turns ajv's errors into `{path, message}` issues that name the field in the caller's terms. */
export function toIssues(errors: readonly AjvError[]): ErrorIssue[] {
  const issues: ErrorIssue[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    let path = dotted(e.instancePath);
    let message: string;
    switch (e.keyword) {
      case 'if':
      case 'anyOf':
        continue; // the branch errors beside it say what is wrong
      case 'additionalProperties':
        path = join(path, String(e.params['additionalProperty']));
        message = 'is not a known field';
        break;
      case 'required':
        path = join(path, String(e.params['missingProperty']));
        message = 'is required';
        break;
      case 'enum':
        message = `must be one of ${(e.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
        break;
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

/** Validates a context against schemas/input.schema.json; throws INVALID_INPUT listing every issue. */
export function assertValidInput(context: unknown): SkillInput {
  const v = validateInput as Validator;
  if (v(context)) return context as SkillInput;
  const issues = toIssues(v.errors ?? []);
  const text = issues.slice(0, 5).map((i) => `${i.path} ${i.message}`).join('; ');
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
