import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { SkillError } from '../../src/errors.js';
import { parseJsonText } from '../../src/json/json-text.js';
import { createSweepConfigParser, parseSweepConfig, storableSweepConfig, sweepConfigWarnings, toWandbSweepConfig } from '../../src/sweeps/index.js';

function issuesOf(raw: unknown, options = {}): { path: string; message: string }[] {
  try {
    parseSweepConfig(raw, options);
  } catch (err) {
    assert.ok(err instanceof SkillError);
    assert.equal(err.code, 'INVALID_INPUT');
    const issues = err.details?.issues ?? [];
    assert.ok(issues.length > 0);
    assert.ok(err.message.includes(issues[0]?.path ?? '?'), 'message names the first field');
    return issues;
  }
  assert.fail('expected INVALID_INPUT');
}

const hasIssue = (issues: { path: string; message: string }[], path: string, re: RegExp): boolean => issues.some((i) => i.path === path && re.test(i.message));

describe('parseSweepConfig', () => {
  it("ships an exact copy of W&B's schema", (t) => {
    const shipped = readFileSync(new URL('../../../schemas/wandb-sweep-config.schema.json', import.meta.url), 'utf8');
    const sharedPath = new URL('../../../../shared/wandb/sweep-config.schema.json', import.meta.url);
    if (!existsSync(sharedPath)) {
      t.skip('no ../shared/ beside this checkout');
      return;
    }
    assert.equal(shipped, readFileSync(sharedPath, 'utf8'));
  });

  it("infers distributions and fills W&B's defaults", () => {
    const cfg = parseSweepConfig({
      method: 'random',
      metric: { name: 'loss' },
      early_terminate: { type: 'hyperband', min_iter: 3 },
      parameters: {
        i: { min: 1, max: 10 },
        f: { min: 1, max: 10.5 },
        c: { values: [1, 2] },
        w: { values: [1, 2], probabilities: [0.5, 0.5] },
        k: { value: 'x' },
        q: { distribution: 'q_uniform', min: 0, max: 1 },
        n: { distribution: 'q_log_normal' },
        b: { distribution: 'beta' },
        nest: { parameters: { lr: { values: [0.1] } } },
      },
    });
    assert.deepEqual(cfg.metric, { name: 'loss', goal: 'minimize', impute: 'worst', impute_while_running: 'false' });
    assert.deepEqual(cfg.early_terminate, { type: 'hyperband', min_iter: 3, eta: 3, strict: true });
    const p = cfg.parameters as Record<string, unknown>;
    assert.deepEqual(p['i'], { distribution: 'int_uniform', min: 1, max: 10 });
    assert.deepEqual(p['f'], { distribution: 'uniform', min: 1, max: 10.5 });
    assert.deepEqual(p['c'], { distribution: 'categorical', values: [1, 2] });
    assert.deepEqual(p['w'], { distribution: 'categorical_w_probabilities', values: [1, 2], probabilities: [0.5, 0.5] });
    assert.deepEqual(p['k'], { distribution: 'constant', value: 'x' });
    assert.deepEqual(p['q'], { distribution: 'q_uniform', min: 0, max: 1, q: 1 });
    assert.deepEqual(p['n'], { distribution: 'q_log_normal', mu: 0, sigma: 1, q: 1 });
    assert.deepEqual(p['b'], { distribution: 'beta', a: 1, b: 1 });
    assert.deepEqual(p['nest'], { parameters: { lr: { distribution: 'categorical', values: [0.1] } } });
  });

  it('rejects min >= max naming the parameter', () => {
    const issues = issuesOf({ method: 'random', parameters: { lr: { min: 0.1, max: 0.01 } } });
    assert.ok(hasIssue(issues, 'sweepConfig.parameters.lr.min', /less than max/));
    assert.ok(hasIssue(issuesOf({ method: 'random', parameters: { lr: { min: 1, max: 1 } } }), 'sweepConfig.parameters.lr.min', /less than max/));
  });

  it('checks probabilities: same length as values and summing to 1', () => {
    const a = issuesOf({ method: 'random', parameters: { opt: { values: ['a', 'b'], probabilities: [0.5] } } });
    assert.ok(hasIssue(a, 'sweepConfig.parameters.opt.probabilities', /one entry per value/));
    const b = issuesOf({ method: 'random', parameters: { opt: { values: ['a', 'b'], probabilities: [0.5, 0.6] } } });
    assert.ok(hasIssue(b, 'sweepConfig.parameters.opt.probabilities', /sum to 1/));
    parseSweepConfig({ method: 'random', parameters: { opt: { values: ['a', 'b', 'c'], probabilities: [0.1, 0.2, 0.7000000001] } } });
  });

  it('names an unknown key inside a parameter and at the top level', () => {
    assert.ok(hasIssue(issuesOf({ method: 'grid', parameters: { x: { min: 1, max: 3, foo: 1 } } }), 'sweepConfig.parameters.x.foo', /not allowed/));
    assert.ok(hasIssue(issuesOf({ method: 'grid', parameters: { x: { value: 1 } }, colour: 'red' }), 'sweepConfig.colour', /not a sweep config key/));
  });

  it('names bad enums, types and missing required keys', () => {
    assert.ok(hasIssue(issuesOf({ method: 'annealing', parameters: { x: { value: 1 } } }), 'sweepConfig.method', /one of/));
    assert.ok(hasIssue(issuesOf({ parameters: { x: { value: 1 } } }), 'sweepConfig.method', /required/));
    assert.ok(hasIssue(issuesOf({ method: 'grid' }), 'sweepConfig.parameters', /required/));
    assert.ok(
      hasIssue(issuesOf({ method: 'random', metric: { name: 'l', goal: 'up' }, parameters: { x: { value: 1 } } }), 'sweepConfig.metric.goal', /one of/),
    );
    assert.ok(
      hasIssue(
        issuesOf({ method: 'random', parameters: { x: { distribution: 'gamma', min: 1, max: 2 } } }),
        'sweepConfig.parameters.x.distribution',
        /unknown distribution/,
      ),
    );
    assert.ok(
      hasIssue(
        issuesOf({ method: 'random', parameters: { x: { distribution: 'log_uniform_values', min: 0, max: 2 } } }),
        'sweepConfig.parameters.x.min',
        /must be > 0/,
      ),
    );
    assert.ok(
      hasIssue(issuesOf({ method: 'random', parameters: { x: { distribution: 'normal', sigma: -1 } } }), 'sweepConfig.parameters.x.sigma', /must be >= 0/),
    );
    assert.ok(hasIssue(issuesOf({ method: 'random', parameters: { '1x': { value: 1 } } }), 'sweepConfig.parameters.1x', /names must match/));
    assert.ok(hasIssue(issuesOf({ method: 'random', parameters: { x: { values: [] } } }), 'sweepConfig.parameters.x.values', /fewer than 1/));
    assert.ok(hasIssue(issuesOf({ method: 'random', run_cap: 0, parameters: { x: { value: 1 } } }), 'sweepConfig.run_cap', /> 0/));
  });

  it('diagnoses nested parameters by their full path', () => {
    const issues = issuesOf({ method: 'random', parameters: { opt: { parameters: { lr: { min: 2, max: 1 } } } } });
    assert.ok(hasIssue(issues, 'sweepConfig.parameters.opt.parameters.lr.min', /less than max/));
    const extra = issuesOf({ method: 'random', parameters: { opt: { parameters: { lr: { value: 1 } }, values: [1] } } });
    assert.ok(extra.length > 0);
  });

  it('accepts the deprecated v1 log forms with a warning, and rejects them when strict', () => {
    const cfg = parseSweepConfig({ method: 'random', parameters: { lr: { distribution: 'log_uniform', min: -5, max: 0 } } });
    assert.match(sweepConfigWarnings(cfg)[0] ?? '', /log_uniform_values/);
    const issues = issuesOf({ method: 'random', parameters: { lr: { distribution: 'log_uniform', min: -5, max: 0 } } }, { strict: true });
    assert.ok(hasIssue(issues, 'sweepConfig.parameters.lr.distribution', /deprecated.*log_uniform_values/));
  });

  it('applies the method-specific rules early', () => {
    assert.ok(hasIssue(issuesOf({ method: 'bayes', parameters: { x: { min: 0, max: 1 } } }), 'sweepConfig.metric', /bayes/));
    assert.ok(hasIssue(issuesOf({ method: 'bayes', metric: { name: 'l' }, parameters: { x: { value: 1 } } }), 'sweepConfig.parameters', /searchable/));
    assert.ok(hasIssue(issuesOf({ method: 'grid', parameters: { x: { min: 0, max: 1.5 } } }), 'sweepConfig.parameters.x.distribution', /grid search allows/));
    assert.ok(
      hasIssue(
        issuesOf({ method: 'grid', parameters: { o: { parameters: { w: { values: [1], probabilities: [1] } } } } }),
        'sweepConfig.parameters.o.parameters.w.distribution',
        /grid/,
      ),
    );
    assert.ok(
      hasIssue(
        issuesOf({ method: 'grid', early_terminate: { type: 'hyperband', min_iter: 1 }, parameters: { x: { value: 1 } } }),
        'sweepConfig.metric',
        /hyperband/,
      ),
    );
    assert.ok(
      hasIssue(
        issuesOf({ method: 'random', metric: { name: 'l' }, early_terminate: { type: 'hyperband', eta: 3 }, parameters: { x: { value: 1 } } }),
        'sweepConfig.early_terminate.min_iter',
        /required/,
      ),
    );
    assert.ok(
      hasIssue(
        issuesOf({ method: 'random', metric: { name: 'l' }, early_terminate: { type: 'hyperband', max_iter: 2, s: 1 }, parameters: { x: { value: 1 } } }),
        'sweepConfig.early_terminate',
        /no hyperband band/,
      ),
    );
    // W&B accepts a scheduler with any method (its own wandb scheduler runs grid, random, bayes).
    assert.equal(parseSweepConfig({ method: 'random', scheduler: { engine: 'optuna' }, parameters: { x: { value: 1 } } }).method, 'random');
    assert.ok(
      hasIssue(
        issuesOf({
          method: 'random',
          metric: { name: 'l' },
          scheduler: { engine: 'wandb' },
          early_terminate: { type: 'hyperband', min_iter: 1 },
          parameters: { x: { value: 1 } },
        }),
        'sweepConfig.scheduler',
        /early_terminate/,
      ),
    );
    parseSweepConfig({ method: 'custom', scheduler: { engine: 'optuna', source: 'opt.py', search_space: 'space' } });
  });

  it('accepts a seed extension and strips it for W&B', () => {
    const cfg = parseSweepConfig({ method: 'random', seed: 42, parameters: { x: { value: 1 } } });
    assert.equal(cfg.seed, 42);
    assert.equal('seed' in toWandbSweepConfig(cfg), false);
    assert.ok(hasIssue(issuesOf({ method: 'random', seed: 1.5, parameters: { x: { value: 1 } } }), 'sweepConfig.seed', /integer or a string/));
  });

  it('infers from the literal as W&B does: bounds written 0.0/1.0 in JSON text are uniform, 0/1 int_uniform with a warning', () => {
    const dist = (text: string, warn?: (m: string) => void) => {
      const cfg = parseSweepConfig(parseJsonText(text), warn ? { warn } : {});
      return (cfg.parameters['x'] as { distribution: string }).distribution;
    };
    assert.equal(dist('{"method":"random","parameters":{"x":{"min":0.0,"max":1.0}}}'), 'uniform');
    assert.equal(dist('{"method":"random","parameters":{"x":{"min":0,"max":1.0}}}'), 'uniform');
    assert.equal(dist('{"method":"random","parameters":{"x":{"min":1e0,"max":10}}}'), 'uniform');
    const warnings: string[] = [];
    assert.equal(
      dist('{"method":"random","parameters":{"x":{"min":0,"max":1}}}', (m) => warnings.push(m)),
      'int_uniform',
    );
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /sweepConfig\.parameters\.x: .*int_uniform was inferred.*"distribution": "uniform".*cannot write 0\.0/);
    const explicit: string[] = [];
    dist('{"method":"random","parameters":{"x":{"distribution":"int_uniform","min":0,"max":1}}}', (m) => explicit.push(m));
    assert.deepEqual(explicit, [], 'no warning when the distribution is given');
    // Nested groups too, and int_uniform written with float bounds is refused naming the bound.
    const nested = parseSweepConfig(parseJsonText('{"method":"random","parameters":{"o":{"parameters":{"d":{"min":0.0,"max":0.5e1}}}}}'));
    assert.equal((nested.parameters['o'] as { parameters: Record<string, { distribution: string }> }).parameters['d']?.distribution, 'uniform');
    const issues = issuesOf(parseJsonText('{"method":"grid","parameters":{"k":{"distribution":"int_uniform","min":1,"max":4.0}}}'));
    assert.ok(hasIssue(issues, 'sweepConfig.parameters.k.max', /int_uniform needs integer bounds/), JSON.stringify(issues));
  });

  it('storableSweepConfig writes out a uniform inferred from float literals, and leaves everything else shared', () => {
    const raw = parseJsonText(
      '{"method":"random","seed":3,"parameters":{"a":{"min":0.0,"max":1.0},"b":{"min":0,"max":2},"c":{"values":[1]},"o":{"parameters":{"d":{"min":1.0,"max":2.0}}}}}',
    ) as Record<string, unknown>;
    const stored = storableSweepConfig(raw, parseSweepConfig(raw));
    const params = stored['parameters'] as Record<string, Record<string, unknown>>;
    assert.deepEqual(params['a'], { min: 0, max: 1, distribution: 'uniform' });
    assert.deepEqual(params['b'], { min: 0, max: 2 });
    assert.deepEqual((params['o']?.['parameters'] as Record<string, unknown>)['d'], { min: 1, max: 2, distribution: 'uniform' });
    assert.equal(params['c'], (raw['parameters'] as Record<string, unknown>)['c']);
    assert.equal(stored['seed'], 3);
    // Read back without any literal, the stored copy means the same.
    const again = parseSweepConfig(JSON.parse(JSON.stringify(stored)));
    assert.equal((again.parameters['a'] as { distribution: string }).distribution, 'uniform');
    const plain = { method: 'grid', parameters: { x: { values: [1] } } };
    assert.equal(storableSweepConfig(plain, parseSweepConfig(plain)), plain);
  });

  it('rejects non-objects and honours a custom issue path prefix', () => {
    assert.ok(hasIssue(issuesOf('method: grid'), 'sweepConfig', /object/));
    const parser = createSweepConfigParser();
    assert.throws(
      () => parser.parse({ method: 'grid', parameters: { x: { min: 3, max: 1 } } }, { path: 'context.sweep' }),
      (err: unknown) => {
        return err instanceof SkillError && err.details?.issues?.[0]?.path === 'context.sweep.parameters.x.min';
      },
    );
  });
});
