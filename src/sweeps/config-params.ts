/**
 * Classifies each parameter block the way W&B does (the first leaf schema of
 * `definitions.parameter.anyOf` it satisfies wins, nested `parameters` last), fills W&B's defaults,
 * and runs W&B's checks outside the schema. Diagnostics name the parameter and the field.
 */
import type { ErrorIssue } from '../errors.js';
import { writtenAsFloat } from '../json/json-text.js';
import type { LeafParam, ParamSpec } from './types.js';

/** A compiled validator of one schema definition (ajv's ValidateFunction, narrowed). */
export interface DefValidator {
  (data: unknown): boolean;
  errors?: ReadonlyArray<{ instancePath: string; keyword: string; message?: string; params: Record<string, unknown> }> | null;
}

/** W&B's anyOf order of leaf definitions, with the distribution each one means. */
export const LEAF_DEFS: ReadonlyArray<readonly [string, LeafParam['distribution']]> = [
  ['param_qbeta', 'q_beta'],
  ['param_beta', 'beta'],
  ['param_categorical', 'categorical'],
  ['param_categorical_w_probabilities', 'categorical_w_probabilities'],
  ['param_int_uniform', 'int_uniform'],
  ['param_uniform', 'uniform'],
  ['param_lognormal', 'log_normal'],
  ['param_loguniform', 'log_uniform'],
  ['param_inv_loguniform', 'inv_log_uniform'],
  ['param_normal', 'normal'],
  ['param_qlognormal', 'q_log_normal'],
  ['param_qloguniform', 'q_log_uniform'],
  ['param_qnormal', 'q_normal'],
  ['param_quniform', 'q_uniform'],
  ['param_single_value', 'constant'],
  ['param_inv_loguniform_v2', 'inv_log_uniform_values'],
  ['param_loguniform_v2', 'log_uniform_values'],
  ['param_qloguniform_v2', 'q_log_uniform_values'],
];

/** The v1 log forms (min/max are exponents of e) W&B reports as deprecated, with their successors. */
export const DEPRECATED: Readonly<Record<string, string>> = {
  log_uniform: 'log_uniform_values',
  inv_log_uniform: 'inv_log_uniform_values',
  q_log_uniform: 'q_log_uniform_values',
};

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export interface ClassifyContext {
  defs: (name: string) => DefValidator;
  issues: ErrorIssue[];
  /** Reject the deprecated v1 log forms, as W&B's strict `SweepConfig(...)` does. */
  strict: boolean;
  /** Receives non-fatal notes (an inferred `int_uniform`); absent, they are dropped. */
  warn?: (message: string) => void;
}

/**
 * Python's view of a bound: a float when written with a fraction or exponent in JSON text (see
 * json-text.ts) or when not a whole number. Numbers built in code carry no literal, so `1.0` from
 * TypeScript is an integer here.
 */
function isFloatLiteral(block: Record<string, unknown>, key: string): boolean {
  const v = block[key];
  return typeof v === 'number' && (writtenAsFloat(block, key) || !Number.isInteger(v));
}

/**
 * W&B's custom formats, which ajv cannot see (they test the literal, not the number): `integer` is a
 * Python int, `float` a Python float. Only int_uniform and the inferred uniform forms use them.
 */
function literalsFit(def: string, block: Record<string, unknown>): boolean {
  if (def === 'param_int_uniform') return !isFloatLiteral(block, 'min') && !isFloatLiteral(block, 'max');
  if (def === 'param_uniform' && block['distribution'] === undefined) return isFloatLiteral(block, 'min') || isFloatLiteral(block, 'max');
  return true;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function ajvIssues(ctx: ClassifyContext, validate: DefValidator, path: string): void {
  for (const e of validate.errors ?? []) {
    const at = path + e.instancePath.replace(/\//g, '.');
    if (e.keyword === 'required') ctx.issues.push({ path: `${at}.${String(e.params['missingProperty'])}`, message: 'is required' });
    else if (e.keyword === 'additionalProperties') {
      ctx.issues.push({ path: `${at}.${String(e.params['additionalProperty'])}`, message: 'is not allowed in this parameter form' });
    } else if (e.keyword === 'enum') ctx.issues.push({ path: at, message: `must be one of ${JSON.stringify(e.params['allowedValues'])}` });
    else if (e.keyword !== 'anyOf' && e.keyword !== 'format') ctx.issues.push({ path: at, message: e.message ?? 'is invalid' });
  }
}

/** Explains why a block matched no leaf form, by checking it against the form it most resembles. */
function diagnose(ctx: ClassifyContext, block: Record<string, unknown>, path: string): void {
  const dist = block['distribution'];
  let def: string | undefined;
  if (dist !== undefined) {
    const hit = LEAF_DEFS.find(([, d]) => d === dist);
    if (!hit) {
      ctx.issues.push({
        path: `${path}.distribution`,
        message: `unknown distribution ${JSON.stringify(dist)}; expected one of ${LEAF_DEFS.map(([, d]) => d).join(', ')}`,
      });
      return;
    }
    def = hit[0];
  } else if ('values' in block) def = 'probabilities' in block ? 'param_categorical_w_probabilities' : 'param_categorical';
  else if ('value' in block) def = 'param_single_value';
  else if ('min' in block || 'max' in block) {
    def =
      typeof block['min'] === 'number' && typeof block['max'] === 'number' && !isFloatLiteral(block, 'min') && !isFloatLiteral(block, 'max')
        ? 'param_int_uniform'
        : 'param_uniform';
  }
  if (def === undefined) {
    ctx.issues.push({ path, message: 'matches no parameter form: give value, values, min/max, a distribution, or nested parameters' });
    return;
  }
  const validate = ctx.defs(def === 'param_uniform' ? 'param_uniform/anyOf/0' : def);
  if (def === 'param_uniform' && dist === undefined) {
    // The inferred uniform form has no required `distribution`; check it without that key.
    if (!validate({ ...block, distribution: 'uniform' })) ajvIssues(ctx, validate, path);
    return;
  }
  if (!validate(block)) ajvIssues(ctx, validate, path);
  else if (def === 'param_int_uniform' && !literalsFit(def, block)) {
    for (const key of ['min', 'max']) {
      if (isFloatLiteral(block, key)) {
        ctx.issues.push({
          path: `${path}.${key}`,
          message: `int_uniform needs integer bounds; ${String(block[key])} was written as a float (W&B reads 1.0 as a float), write it without a fraction or exponent`,
        });
      }
    }
  } else ctx.issues.push({ path, message: 'matches no parameter form' });
}

function num(block: Record<string, unknown>, key: string, fallback: number): number {
  const v = block[key];
  return typeof v === 'number' ? v : fallback;
}

/** Builds the typed leaf with W&B's defaults (q 1, mu 0, sigma 1, a 1, b 1). */
function fillLeaf(dist: LeafParam['distribution'], block: Record<string, unknown>): LeafParam {
  switch (dist) {
    case 'constant':
      return { distribution: dist, value: block['value'] };
    case 'categorical':
      return { distribution: dist, values: [...(block['values'] as unknown[])] };
    case 'categorical_w_probabilities':
      return { distribution: dist, values: [...(block['values'] as unknown[])], probabilities: [...(block['probabilities'] as number[])] };
    case 'int_uniform':
    case 'uniform':
    case 'log_uniform':
    case 'log_uniform_values':
    case 'inv_log_uniform':
    case 'inv_log_uniform_values':
      return { distribution: dist, min: block['min'] as number, max: block['max'] as number };
    case 'q_uniform':
    case 'q_log_uniform':
    case 'q_log_uniform_values':
      return { distribution: dist, min: block['min'] as number, max: block['max'] as number, q: num(block, 'q', 1) };
    case 'normal':
    case 'log_normal':
      return { distribution: dist, mu: num(block, 'mu', 0), sigma: num(block, 'sigma', 1) };
    case 'q_normal':
    case 'q_log_normal':
      return { distribution: dist, mu: num(block, 'mu', 0), sigma: num(block, 'sigma', 1), q: num(block, 'q', 1) };
    case 'beta':
      return { distribution: dist, a: num(block, 'a', 1), b: num(block, 'b', 1) };
    case 'q_beta':
      return { distribution: dist, a: num(block, 'a', 1), b: num(block, 'b', 1), q: num(block, 'q', 1) };
  }
}

/** W&B's checks outside the schema (cfg.py): min < max, probabilities match and sum to 1. */
function semanticChecks(ctx: ClassifyContext, leaf: LeafParam, path: string): void {
  if ('min' in leaf && !(leaf.min < leaf.max)) {
    ctx.issues.push({ path: `${path}.min`, message: `must be less than max (min ${leaf.min}, max ${leaf.max})` });
  }
  if (leaf.distribution === 'categorical_w_probabilities') {
    if (leaf.probabilities.length !== leaf.values.length) {
      ctx.issues.push({
        path: `${path}.probabilities`,
        message: `must have one entry per value (${leaf.values.length} values, ${leaf.probabilities.length} probabilities)`,
      });
    }
    const sum = leaf.probabilities.reduce((s, p) => s + p, 0);
    // numpy.isclose(sum, 1): |sum - 1| <= 1e-8 + 1e-5
    if (!(Math.abs(sum - 1) <= 1e-8 + 1e-5)) ctx.issues.push({ path: `${path}.probabilities`, message: `must sum to 1 (they sum to ${sum})` });
  }
  const successor = DEPRECATED[leaf.distribution];
  if (ctx.strict && successor !== undefined) {
    ctx.issues.push({
      path: `${path}.distribution`,
      message: `${leaf.distribution} is deprecated (its min/max are exponents of e); use ${successor} with min/max as values`,
    });
  }
}

/** Classifies a `parameters` object; pushes issues for every malformed block and returns the rest. */
export function classifyParams(ctx: ClassifyContext, raw: unknown, path: string): Record<string, ParamSpec> {
  const out: Record<string, ParamSpec> = {};
  if (!isObject(raw)) {
    ctx.issues.push({ path, message: 'must be an object of parameters' });
    return out;
  }
  const names = Object.keys(raw);
  if (names.length === 0) ctx.issues.push({ path, message: 'must hold at least one parameter' });
  for (const name of names) {
    const at = `${path}.${name}`;
    if (!NAME.test(name)) ctx.issues.push({ path: at, message: 'parameter names must match [A-Za-z_][A-Za-z0-9_.-]*' });
    const block = raw[name];
    if (!isObject(block)) {
      ctx.issues.push({ path: at, message: 'must be an object such as {value}, {values}, {min, max} or {parameters}' });
      continue;
    }
    const hit = LEAF_DEFS.find(([def]) => ctx.defs(def)(block) && literalsFit(def, block));
    if (hit) {
      const dist = (typeof block['distribution'] === 'string' ? block['distribution'] : hit[1]) as LeafParam['distribution'];
      if (dist === 'int_uniform' && block['distribution'] === undefined) {
        ctx.warn?.(
          `parameter ${at}: min ${String(block['min'])} and max ${String(block['max'])} are integers, so int_uniform was inferred (W&B's rule) and only whole numbers will be drawn; ` +
            'for real values give "distribution": "uniform" (TypeScript/JavaScript callers must: they cannot write 0.0; in JSON text, 0.0 and 1.0 also mean uniform)',
        );
      }
      const leaf = fillLeaf(dist, block);
      semanticChecks(ctx, leaf, at);
      out[name] = leaf;
    } else if ('parameters' in block) {
      const extra = Object.keys(block).filter((k) => k !== 'parameters');
      for (const k of extra) ctx.issues.push({ path: `${at}.${k}`, message: 'a nested parameter group may only hold parameters' });
      out[name] = { parameters: classifyParams(ctx, block['parameters'], `${at}.parameters`) };
    } else {
      diagnose(ctx, block, at);
    }
  }
  return out;
}
