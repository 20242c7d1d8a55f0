/**
 * The demo's sweep: a small bayes search over the network's learning rate and hidden size, run
 * in-process by `runAgent` (each trial trains the model and logs per epoch).
 */
import { executeSkill, type SkillRunner } from '../skill.js';
import { runAgent } from '../agent/run-agent.js';
import type { SkillOptions } from '../skill.js';
import type { SkillOutput } from '../contract/types.generated.js';
import { createMlp, type Mlp } from './mlp.js';
import type { Dataset } from './data.js';
import { seededRandom } from '../seeded-random.js';

export interface DemoSweepOptions {
  project: string;
  runner: SkillRunner;
  skillOptions: SkillOptions;
  data: { train: Dataset; val: Dataset };
  runs: number;
  epochs: number;
  write: (line: string) => void;
  /** Saves a trial's trained model and returns its file (logged as a `model` artifact of the trial's run). */
  saveModel: (model: Mlp, runId: string, config: Record<string, unknown>) => string;
  /** The collection the models are logged to. */
  modelName: string;
}

export interface DemoSweepResult {
  status: SkillOutput;
  /** Per sweep run: the model version it logged (`name:vN`). */
  models: Map<string, string>;
}

function must(out: SkillOutput): SkillOutput {
  if (out.status !== 'success') throw new Error(`${out.action} failed: ${JSON.stringify(out.error)}`);
  return out;
}

/** Creates the sweep, runs `runs` trials (each logs its model), and returns the sweep's status. */
export async function demoSweep(o: DemoSweepOptions): Promise<DemoSweepResult> {
  const models = new Map<string, string>();
  const call = (ctx: Record<string, unknown>) => executeSkill(ctx, { runner: o.runner }).then(must);
  const created = await call({
    action: 'sweep',
    project: o.project,
    sweepConfig: {
      name: 'mlp-lr-hidden',
      method: 'bayes',
      seed: 11,
      metric: { name: 'val/loss', goal: 'minimize' },
      parameters: {
        lr: { distribution: 'log_uniform_values', min: 0.01, max: 1.0 },
        hidden: { values: [8, 16, 32, 64] },
        momentum: { value: 0.9 },
      },
    },
  });
  const sweepId = created.sweepId as string;
  o.write(`\nsweep ${sweepId}: bayes over lr and hidden size, ${o.runs} runs of ${o.epochs} epochs\n`);
  await runAgent({
    ...o.skillOptions,
    sweepId,
    project: o.project,
    count: o.runs,
    pollMs: 100,
    fn: async ({ config, run, signal, runId }) => {
      const rand = seededRandom(7);
      const model = createMlp(
        2,
        3,
        { hidden: config['hidden'] as number, lr: config['lr'] as number, momentum: config['momentum'] as number, weightDecay: 1e-4 },
        rand,
      );
      for (let epoch = 0; epoch < o.epochs && !signal.aborted; epoch++) {
        const t = model.trainEpoch(o.data.train, 32, rand, config['lr'] as number);
        const v = model.evaluate(o.data.val);
        await run.log({ epoch, 'train/loss': t.loss, 'val/loss': v.loss, 'val/acc': v.acc });
      }
      const logged = await call({
        action: 'artifact',
        project: o.project,
        runId,
        artifactConfig: { name: o.modelName, type: 'model', path: o.saveModel(model, runId, config), metadata: { ...config, sweep: sweepId } },
      });
      models.set(runId, `${o.modelName}:${logged.artifact?.version ?? 'latest'}`);
    },
    onRun: (e) => {
      if (e.phase !== 'end' || e.result === undefined) return;
      const lr = (e.config['lr'] as number).toFixed(4);
      o.write(
        `  run ${e.runId}  lr ${lr}  hidden ${String(e.config['hidden']).padStart(2)}  ${e.result.state}${e.result.stopReason ? ' (stopped early by hyperband)' : ''}\n`,
      );
    },
  });
  return { status: await call({ action: 'sweep', operation: 'status', sweepId }), models };
}
