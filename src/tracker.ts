import { SkillError, normalizeError } from './errors.js';
import type { SkillInput, SkillOutput } from './contract/types.generated.js';
import { createSkillRunner, type SkillOptions } from './skill.js';

/** The `runConfig` of the contract, for `tracker.init()`. */
export type RunConfig = NonNullable<SkillInput['runConfig']>;
export type LogOptions = Omit<NonNullable<SkillInput['logData']>, 'metrics'>;

export interface TrackerOptions extends SkillOptions {
  project?: string;
  entity?: string;
  mode?: NonNullable<SkillInput['mode']>;
}

/**
 * A started run: `log()` and `finish()` act on it. Both resolve to the call's output on success and
 * throw a `SkillError` (with `code`, `details` and the whole `output`) when the call fails.
 */
export interface TrackedRun {
  readonly id: string;
  readonly name: string;
  readonly project: string;
  readonly url: string | undefined;
  /** W&B's run.log; resolves to the output (with `step` and `committed`); throws SkillError on failure. */
  log(metrics: Record<string, unknown>, options?: LogOptions): Promise<SkillOutput>;
  /** W&B's run.finish; resolves to the output (state, summary); throws SkillError on failure. */
  finish(exitCode?: number): Promise<SkillOutput>;
}

/**
 * One rule: the convenience methods (`init`, `run.log`, `run.finish`) throw a `SkillError` when a call
 * fails, as W&B's SDK raises; `execute` is `executeSkill` with this tracker's defaults and never throws:
 * a failure is an output with `status: "error"` and `error: {code, message, details}`.
 */
export interface Tracker {
  /** W&B's wandb.init; resolves to the started (or resumed) run; throws SkillError on failure. */
  init(runConfig?: RunConfig): Promise<TrackedRun>;
  /** Any action, with this tracker's project/entity/mode filled in. Never throws: read `status` and `error`. */
  execute(context: SkillInput): Promise<SkillOutput>;
  /** Online: sends what is still queued for the W&B server; a failure is a SkillError. */
  flush(): Promise<void>;
  /** Flushes, then closes the store (async: await it before the process exits); a failure is a SkillError. */
  close(): Promise<void>;
}

/** The output on success; a SkillError carrying the code, details and the whole output on failure. */
function orThrow(out: SkillOutput): SkillOutput {
  if (out.status === 'error') {
    const e = out.error ?? { code: 'INTERNAL' as const, message: 'unknown error' };
    throw new SkillError(e.code, e.message, { ...(e.details === undefined ? {} : { details: e.details }), output: out });
  }
  return out;
}

/**
 * The typed facade for TypeScript pipelines, built on executeSkill. `init`, `run.log` and
 * `run.finish` throw SkillError when the call fails; `execute` returns every output and never throws.
 *
 * @example
 * const tracker = createTracker({ project: 'mnist' });
 * const run = await tracker.init({ name: 'baseline', config: { lr: 1e-3 } });
 * await run.log({ loss: 0.42 });
 * await run.finish();
 * await tracker.close();
 * const out = await tracker.execute({ action: 'report' }); // out.status === 'error' rather than a throw
 */
export function createTracker(options: TrackerOptions = {}): Tracker {
  // A tracker's process owns its runs: if it dies without finishing them, they end crashed.
  const runner = createSkillRunner({ ...options, ownsRuns: true });
  const base = {
    ...(options.project !== undefined ? { project: options.project } : {}),
    ...(options.entity !== undefined ? { entity: options.entity } : {}),
    ...(options.mode !== undefined ? { mode: options.mode } : {}),
  };
  const execute = (context: SkillInput): Promise<SkillOutput> => runner.execute({ ...base, ...context });
  return {
    execute,
    async init(runConfig = {}) {
      const out = orThrow(await execute({ action: 'init', runConfig }));
      const id = out.runId as string;
      const project = out.project ?? options.project ?? 'uncategorized';
      const ref = { runId: id, project };
      return {
        id,
        name: out.runName ?? id,
        project,
        url: out.runUrl,
        async log(metrics, logOptions = {}) {
          return orThrow(await execute({ action: 'log', ...ref, logData: { ...logOptions, metrics } }));
        },
        async finish(exitCode = 0) {
          return orThrow(await execute({ action: 'finish', ...ref, exitCode }));
        },
      };
    },
    async flush() {
      try {
        await runner.flush();
      } catch (err) {
        throw normalizeError(err);
      }
    },
    async close() {
      try {
        await runner.flush();
      } catch (err) {
        throw normalizeError(err);
      } finally {
        runner.close();
      }
    },
  };
}
