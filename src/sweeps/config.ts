/**
 * Parsing a W&B sweep config: ajv against W&B's own JSON Schema (copied to
 * `schemas/wandb-sweep-config.schema.json`), W&B's checks outside the schema, and W&B's defaults.
 * Errors are one `SkillError('INVALID_INPUT')` whose `details.issues` name each field.
 */
import { createRequire } from 'node:module';
import type { Ajv as AjvClass } from 'ajv';
import { SWEEP_CONFIG_SCHEMA } from './sweep-config-schema.generated.js';
import { SkillError, type ErrorIssue } from '../errors.js';
import { closest } from '../contract/suggest.js';
import { classifyParams, DEPRECATED, type DefValidator } from './config-params.js';
import { hyperbandBands } from './hyperband.js';
import { flattenParams } from './params.js';
import { METHODS } from './methods.js';
import type { HyperbandSpec, MetricSpec, ParamSpec, SweepConfig } from './types.js';

export interface ParseSweepConfigOptions {
  /** Also reject the deprecated v1 log distributions, as W&B's strict `SweepConfig(...)` does. Default false. */
  strict?: boolean;
  /** Prefix of every issue path. Default `sweepConfig`. */
  path?: string;
  /** Receives non-fatal notes, e.g. that integer bounds made W&B infer `int_uniform`. */
  warn?: (message: string) => void;
}

export interface SweepConfigParser {
  /** Validates `raw` and returns it typed with W&B's defaults filled; throws `SkillError('INVALID_INPUT')`. */
  parse(raw: unknown, options?: ParseSweepConfigOptions): SweepConfig;
}

export interface SweepConfigParserOptions {
  /** The W&B sweep-config JSON Schema; the package's own (generated from `schemas/`) when omitted. */
  schema?: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Creates a parser; the schema is read and compiled on the first `parse`, then reused.
 * @example const parser = createSweepConfigParser(); const cfg = parser.parse(yamlDoc);
 */
export function createSweepConfigParser(options: SweepConfigParserOptions = {}): SweepConfigParser {
  let compiled: { whole: DefValidator; defs: (name: string) => DefValidator; keys: string[] } | undefined;

  const compile = (): NonNullable<typeof compiled> => {
    if (compiled) return compiled;
    const schema = options.schema ?? SWEEP_CONFIG_SCHEMA;
    // ajv's compiler is loaded here, on the first parse, not when a log() imports the sweep code.
    const { Ajv } = createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass };
    const ajv = new Ajv({ allErrors: true, strict: false });
    // W&B's schema uses two custom formats that test the Python type of the literal (`10.0` is a
    // float). A JS number has lost it, so the literal check is made in config-params.ts from the
    // marks json-text.ts leaves; here `integer` only asks for a whole number and `float` for any.
    ajv.addFormat('integer', { type: 'number', validate: (x: number) => Number.isInteger(x) });
    ajv.addFormat('float', { type: 'number', validate: () => true });
    ajv.addSchema(schema, 'wandb-sweep-config');
    const whole = ajv.getSchema('wandb-sweep-config') as DefValidator | undefined;
    if (!whole) throw new SkillError('INTERNAL', 'the W&B sweep-config schema did not compile');
    const cache = new Map<string, DefValidator>();
    const defs = (name: string): DefValidator => {
      let v = cache.get(name);
      if (!v) {
        v = ajv.getSchema(`wandb-sweep-config#/definitions/${name}`) as DefValidator | undefined;
        if (!v) throw new SkillError('INTERNAL', `schema definition ${name} is missing`);
        cache.set(name, v);
      }
      return v;
    };
    const props = schema['properties'];
    compiled = { whole, defs, keys: isObject(props) ? Object.keys(props) : [] };
    return compiled;
  };

  return {
    parse(raw, parseOptions = {}) {
      const root = parseOptions.path ?? 'sweepConfig';
      const { whole, defs, keys } = compile();
      const issues: ErrorIssue[] = [];
      if (!isObject(raw)) throw fail([{ path: root, message: 'must be an object' }]);
      const { seed, ...rest } = raw;
      if (seed !== undefined && !(typeof seed === 'string' || (typeof seed === 'number' && Number.isSafeInteger(seed)))) {
        issues.push({ path: `${root}.seed`, message: 'must be an integer or a string' });
      }
      if (!whole(rest)) {
        for (const e of whole.errors ?? []) {
          if (e.instancePath === '/parameters' || e.instancePath.startsWith('/parameters/')) continue; // diagnosed below
          if (e.keyword === 'oneOf' || e.keyword === 'anyOf') continue;
          const at = root + e.instancePath.replace(/\//g, '.');
          if (e.keyword === 'required') issues.push({ path: `${at}.${String(e.params['missingProperty'])}`, message: 'is required' });
          else if (e.keyword === 'additionalProperties') {
            const key = String(e.params['additionalProperty']);
            const near = e.instancePath === '' ? closest(key, keys) : undefined;
            issues.push({ path: `${at}.${key}`, message: `is not a sweep config key${near === undefined ? '' : `; did you mean "${root}.${near}"?`}` });
          } else if (e.keyword === 'enum') issues.push({ path: at, message: `must be one of ${JSON.stringify(e.params['allowedValues'])}` });
          else issues.push({ path: at, message: e.message ?? 'is invalid' });
        }
      }
      const ctx = { defs, issues, strict: parseOptions.strict ?? false, ...(parseOptions.warn ? { warn: parseOptions.warn } : {}) };
      const searchSpace = isObject(rest['scheduler']) && rest['scheduler']['search_space'] !== undefined;
      let parameters = {};
      protoParams(rest['parameters'], `${root}.parameters`, issues);
      if (rest['parameters'] !== undefined) parameters = classifyParams(ctx, rest['parameters'], `${root}.parameters`);
      else if (!searchSpace) issues.push({ path: `${root}.parameters`, message: 'is required (unless scheduler.search_space is set)' });

      const config = { ...rest, parameters } as unknown as SweepConfig;
      if (isObject(rest['metric'])) config.metric = fillMetric(rest['metric']);
      if (Array.isArray(rest['metrics'])) config.metrics = rest['metrics'].map((m) => fillMetric(m as Record<string, unknown>));
      if (isObject(rest['early_terminate'])) config.early_terminate = fillHyperband(rest['early_terminate']);
      if (seed !== undefined) config.seed = seed as number | string;
      crossChecks(config, root, issues);
      if (issues.length > 0) throw fail(issues);
      return config;
    },
  };
}

/**
 * A parameter named `__proto__` (JSON text can hold one) would vanish from every suggested config,
 * a JavaScript object's assignment dropping it: refused, with nested `parameters` checked too.
 */
function protoParams(params: unknown, at: string, issues: ErrorIssue[]): void {
  if (!isObject(params)) return;
  for (const [name, spec] of Object.entries(params)) {
    if (name === '__proto__')
      issues.push({ path: `${at}.__proto__`, message: 'a parameter cannot be named __proto__ (it would be lost from the run config); rename it' });
    else if (isObject(spec)) protoParams(spec['parameters'], `${at}.${name}.parameters`, issues);
  }
}

function fillMetric(m: Record<string, unknown>): MetricSpec {
  return { goal: 'minimize', impute: 'worst', impute_while_running: 'false', ...m } as MetricSpec;
}

function fillHyperband(h: Record<string, unknown>): HyperbandSpec {
  return { eta: 3, strict: true, ...h } as HyperbandSpec;
}

/** W&B's rules that tie keys together (cfg.py), plus the errors S1 raises at proposal time, moved earlier. */
function crossChecks(config: SweepConfig, root: string, issues: ErrorIssue[]): void {
  const raw = config as unknown as Record<string, unknown>;
  if (raw['metrics'] !== undefined && raw['metric'] !== undefined) issues.push({ path: `${root}.metrics`, message: 'cannot be used together with metric' });
  if (raw['metrics'] !== undefined && config.method !== 'custom') issues.push({ path: `${root}.metrics`, message: 'requires method: custom' });
  // W&B accepts a scheduler with any method (its wandb scheduler runs grid, random and bayes).
  if (raw['scheduler'] !== undefined) {
    if (raw['early_terminate'] !== undefined) issues.push({ path: `${root}.scheduler`, message: 'cannot be used together with early_terminate' });
    if (config.controller?.type === 'local') issues.push({ path: `${root}.scheduler`, message: 'cannot be used with a local controller' });
  }
  // An unknown method was already reported by the schema; it adds no rules.
  const method = Object.prototype.hasOwnProperty.call(METHODS, config.method) ? METHODS[config.method] : undefined;
  if (method?.needsMetric !== undefined && raw['metric'] === undefined) issues.push({ path: `${root}.metric`, message: `is required: ${method.needsMetric}` });
  if (raw['early_terminate'] !== undefined && raw['metric'] === undefined)
    issues.push({ path: `${root}.metric`, message: 'is required: hyperband early termination needs a metric' });
  if (config.early_terminate && (config.early_terminate.max_iter !== undefined || config.early_terminate.min_iter !== undefined)) {
    try {
      hyperbandBands(config.early_terminate);
    } catch {
      issues.push({ path: `${root}.early_terminate`, message: 'yields no hyperband band: max_iter / eta^1 is below 1 or s is below 1' });
    }
  }
  method?.check?.(flattenParams(config.parameters), root, issues);
}

function fail(issues: ErrorIssue[]): SkillError {
  const first = issues[0] as ErrorIssue;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more issue${issues.length > 2 ? 's' : ''})` : '';
  return new SkillError('INVALID_INPUT', `invalid sweep config: ${first.path}: ${first.message}${more}`, { details: { issues } });
}

/** The process-wide parser: it compiles the schema on its first parse and holds nothing else. */
const defaultParser = createSweepConfigParser();

/**
 * Parses a sweep config with the process-wide parser (compiled on first use).
 * @example parseSweepConfig({method: 'grid', parameters: {lr: {values: [0.1, 0.01]}}})
 */
export function parseSweepConfig(raw: unknown, options: ParseSweepConfigOptions = {}): SweepConfig {
  return defaultParser.parse(raw, options);
}

/** Non-fatal notes about a parsed config (W&B reports the v1 log forms as deprecated). */
export function sweepConfigWarnings(config: SweepConfig): string[] {
  const out: string[] = [];
  for (const p of flattenParams(config.parameters)) {
    const successor = DEPRECATED[p.spec.distribution];
    if (successor !== undefined) {
      out.push(`parameter ${p.path.join('.')}: ${p.spec.distribution} is deprecated (min/max are exponents of e); use ${successor}`);
    }
  }
  return out;
}

/**
 * The config to store: the caller's, with `distribution: "uniform"` written out wherever it was
 * inferred from float literals (`{min: 0.0, max: 1.0}`), since a stored copy loses the literal and
 * would read back as int_uniform. Other blocks are shared with `raw`, not copied.
 */
export function storableSweepConfig(raw: Record<string, unknown>, config: SweepConfig): Record<string, unknown> {
  const fix = (rawParams: unknown, parsed: Record<string, ParamSpec>): unknown => {
    if (!isObject(rawParams)) return rawParams;
    let out: Record<string, unknown> | undefined;
    for (const [name, spec] of Object.entries(parsed)) {
      const block = rawParams[name];
      if (!isObject(block)) continue;
      let next: unknown = block;
      if ('parameters' in spec && !('distribution' in spec)) {
        const inner = fix(block['parameters'], spec.parameters);
        if (inner !== block['parameters']) next = { ...block, parameters: inner };
      } else if (spec.distribution === 'uniform' && block['distribution'] === undefined && Number.isInteger(block['min']) && Number.isInteger(block['max'])) {
        next = { ...block, distribution: 'uniform' };
      }
      if (next !== block) (out ??= { ...rawParams })[name] = next;
    }
    return out ?? rawParams;
  };
  const parameters = fix(raw['parameters'], config.parameters);
  return parameters === raw['parameters'] ? raw : { ...raw, parameters };
}

/** The config as W&B's server accepts it: this project's extension keys (`seed`) removed. */
export function toWandbSweepConfig(config: SweepConfig): Record<string, unknown> {
  const { seed: _seed, ...rest } = config;
  return rest as Record<string, unknown>;
}
