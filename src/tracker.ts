import { SkillError } from './errors.js';
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

/** A started run: `log()` and `finish()` act on it. */
export interface TrackedRun {
  readonly id: string;
  readonly name: string;
  readonly project: string;
  readonly url: string | undefined;
  /** W&B's run.log; resolves to the output (with `step` and `committed`). */
  log(metrics: Record<string, unknown>, options?: LogOptions): Promise<SkillOutput>;
  finish(exitCode?: number): Promise<SkillOutput>;
}

export interface Tracker {
  init(runConfig?: RunConfig): Promise<TrackedRun>;
  /** Any action, with this tracker's project/entity/mode filled in. */
  execute(context: SkillInput): Promise<SkillOutput>;
  /** Online: sends what is still queued for the W&B server. */
  flush(): Promise<void>;
  /** Flushes, then closes the store. */
  close(): Promise<void>;
}

function orThrow(out: SkillOutput): SkillOutput {
  if (out.status === 'error') {
    const e = out.error ?? { code: 'INTERNAL' as const, message: 'unknown error' };
    throw new SkillError(e.code, e.message, e.details === undefined ? {} : { details: e.details });
  }
  return out;
}

/**
 * The typed facade for TypeScript pipelines, built on executeSkill; its methods throw SkillError
 * when the call fails (executeSkill itself never throws).
 *
 * @example
 * const tracker = createTracker({ project: 'mnist' });
 * const run = await tracker.init({ name: 'baseline', config: { lr: 1e-3 } });
 * await run.log({ loss: 0.42 });
 * await run.finish();
 * await tracker.close();
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
    flush: () => runner.flush(),
    async close() {
      try {
        await runner.flush();
      } finally {
        runner.close();
      }
    },
  };
}
