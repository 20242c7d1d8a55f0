/**
 * `npm start`: a real experiment, offline. It trains a small neural network on a generated
 * three-spiral data set and logs every epoch through executeSkill into the embedded store.
 */
import { createSkillRunner, executeSkill } from '../skill.js';
import { createLogger } from '../logger.js';
import { createMlp } from './mlp.js';
import { seededRandom, spirals, split } from './data.js';
import { demoSweep } from './sweep.js';
import type { SkillOutput } from '../contract/types.generated.js';

const PROJECT = 'demo-spirals';

function must(out: SkillOutput): SkillOutput {
  if (out.status !== 'success') throw new Error(`${out.action} failed: ${JSON.stringify(out.error)}`);
  return out;
}

async function main(): Promise<void> {
  const env = { ...process.env };
  if (env['WANDB_MODE'] === undefined && env['WANDB_API_KEY'] === undefined) env['WANDB_MODE'] = 'offline';
  const skillOptions = { env, logger: createLogger({ level: 'warn' }) };
  const runner = createSkillRunner(skillOptions);
  const call = (ctx: Record<string, unknown>) => executeSkill(ctx, { runner }).then(must);
  const config = { model: 'mlp', hidden: 32, lr: 0.3, momentum: 0.9, weight_decay: 1e-4, batch_size: 32, epochs: 60, seed: 7, dataset: 'spirals-3x300' };
  const rand = seededRandom(config.seed);
  const { train, val } = split(spirals(300, 3, 0.2, rand), 0.2, rand);
  const init = await call({
    action: 'init',
    project: PROJECT,
    runConfig: { name: `mlp-h${config.hidden}-lr${config.lr}`, tags: ['demo', 'mlp'], notes: 'Three-spiral classification, trained in-process', config, jobType: 'train' },
  });
  const runId = init.runId as string;
  process.stdout.write(`run ${runId} (${init.runName}) started in project ${PROJECT}\n`);
  const model = createMlp(2, 3, { hidden: config.hidden, lr: config.lr, momentum: config.momentum, weightDecay: config.weight_decay }, rand);
  let best = { acc: 0, epoch: -1 };
  for (let epoch = 0; epoch < config.epochs; epoch++) {
    const lr = config.lr * 0.5 * (1 + Math.cos((Math.PI * epoch) / config.epochs)); // cosine schedule
    const t = model.trainEpoch(train, config.batch_size, rand, lr);
    const v = model.evaluate(val);
    if (v.acc > best.acc) best = { acc: v.acc, epoch };
    await call({
      action: 'log',
      project: PROJECT,
      runId,
      logData: { metrics: { epoch, 'train/loss': t.loss, 'train/acc': t.acc, 'val/loss': v.loss, 'val/acc': v.acc, lr, grad_norm: t.gradNorm } },
    });
    if (epoch % 10 === 0 || epoch === config.epochs - 1) {
      process.stdout.write(`epoch ${String(epoch).padStart(2)}  train loss ${t.loss.toFixed(4)}  val acc ${(v.acc * 100).toFixed(1)}%\n`);
    }
  }
  const fin = await call({ action: 'finish', project: PROJECT, runId, exitCode: 0 });
  process.stdout.write(
    [
      '',
      `finished: ${fin.historyLength} epochs logged, best val acc ${(best.acc * 100).toFixed(1)}% at epoch ${best.epoch}`,
      `store:    ${fin.storePath}`,
      `run:      ${fin.runUrl}`,
      `look:     npx wandb-skill '{"action":"finish","project":"${PROJECT}","runId":"${runId}"}'  (prints the run's summary)`,
      '',
    ].join('\n'),
  );
  const status = await demoSweep({ project: PROJECT, runner, skillOptions, data: { train, val }, runs: 6, epochs: 20, write: (l) => process.stdout.write(l) });
  const sweepBest = status.sweep?.['bestRun'] as { runId: string; metric: number; config: Record<string, unknown> } | null;
  if (sweepBest) {
    process.stdout.write(`best run ${sweepBest.runId}: val/loss ${sweepBest.metric.toFixed(4)} with lr ${(sweepBest.config['lr'] as number).toFixed(4)}, hidden ${sweepBest.config['hidden']}\n`);
    process.stdout.write(`sweep:    ${status.sweepUrl}\n`);
  }
  runner.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
