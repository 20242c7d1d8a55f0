/**
 * `npm start`: a real experiment, offline. It trains a small neural network on a generated
 * three-spiral data set and logs every epoch through executeSkill into the embedded store, with an
 * alert rule watching val/acc; logs a confusion matrix, a weight histogram, the decision boundary and
 * the model as an artifact; runs a bayes sweep whose runs log their models too, links the best one
 * to the registry as `production`, and ends with HTML reports of the run and of the sweep.
 */
import { dirname, join, relative } from 'node:path';
import { writeFileSync } from 'node:fs';
import { createSkillRunner, executeSkill } from '../skill.js';
import { createLogger } from '../logger.js';
import { createMlp } from './mlp.js';
import { spirals, split } from './data.js';
import { seededRandom } from '../seeded-random.js';
import { demoSweep } from './sweep.js';
import { confusionTable, decisionBoundaryPng, saveModel, weightHistogram } from './evaluate.js';
import type { SkillOutput } from '../contract/types.generated.js';

const PROJECT = 'demo-spirals';
const MODEL = 'spirals-mlp';
const REGISTRY = 'model-registry/spirals-classifier';

function must(out: SkillOutput): SkillOutput {
  if (out.status !== 'success') throw new Error(`${out.action} failed: ${JSON.stringify(out.error)}`);
  return out;
}

async function main(): Promise<void> {
  const env = { ...process.env };
  if (env['WANDB_MODE'] === undefined && env['WANDB_API_KEY'] === undefined) env['WANDB_MODE'] = 'offline';
  // The demo prints what matters itself (alerts included), so the log shows only errors.
  const skillOptions = { env, logger: createLogger({ level: 'error' }) };
  const runner = createSkillRunner(skillOptions);
  const call = (ctx: Record<string, unknown>) => executeSkill(ctx, { runner }).then(must);
  const out = (line: string) => process.stdout.write(line);
  const config = { model: 'mlp', hidden: 32, lr: 0.3, momentum: 0.9, weight_decay: 1e-4, batch_size: 32, epochs: 60, seed: 7, dataset: 'spirals-3x300' };
  const rand = seededRandom(config.seed);
  const { train, val } = split(spirals(300, 3, 0.2, rand), 0.2, rand);
  const init = await call({
    action: 'init',
    project: PROJECT,
    runConfig: {
      name: `mlp-h${config.hidden}-lr${config.lr}`,
      tags: ['demo', 'mlp'],
      notes: 'Three-spiral classification, trained in-process',
      config,
      jobType: 'train',
    },
  });
  const runId = init.runId as string;
  // Files the demo writes itself (model weights, the boundary image) go beside the store.
  const work = join(dirname(init.storePath as string), 'demo-work');
  out(`run ${runId} (${init.runName}) started in project ${PROJECT}\n`);

  // Registered before training: the rule is checked on every later log, so the first epochs,
  // still near chance (33%), fire it once; waitDuration keeps it from firing every epoch.
  await call({
    action: 'alert',
    project: PROJECT,
    runId,
    alertConfig: {
      title: 'val/acc below 50%',
      text: 'Validation accuracy is under 0.5',
      level: 'WARN',
      waitDuration: 300,
      rule: { metric: 'val/acc', op: '<', value: 0.5 },
    },
  });
  out(`alert rule: WARN when val/acc < 0.5\n`);

  const model = createMlp(2, 3, { hidden: config.hidden, lr: config.lr, momentum: config.momentum, weightDecay: config.weight_decay }, rand);
  let best = { acc: 0, epoch: -1 };
  let fired = 0;
  // Epoch 0 is the untrained network's validation (chance level), as trainers log before training.
  for (let epoch = 0; epoch <= config.epochs; epoch++) {
    const lr = config.lr * 0.5 * (1 + Math.cos((Math.PI * (epoch - 1)) / config.epochs)); // cosine schedule
    const t = epoch === 0 ? undefined : model.trainEpoch(train, config.batch_size, rand, lr);
    const v = model.evaluate(val);
    if (v.acc > best.acc) best = { acc: v.acc, epoch };
    const trainMetrics = t === undefined ? {} : { 'train/loss': t.loss, 'train/acc': t.acc, lr, grad_norm: t.gradNorm };
    const logged = await call({
      action: 'log',
      project: PROJECT,
      runId,
      logData: { metrics: { epoch, ...trainMetrics, 'val/loss': v.loss, 'val/acc': v.acc } },
    });
    for (const a of logged.alerts ?? []) {
      fired++;
      out(`epoch ${String(epoch).padStart(2)}  ALERT ${String(a['level'] ?? '')} "${String(a['title'] ?? '')}" fired (val/acc ${(v.acc * 100).toFixed(1)}%)\n`);
    }
    if (epoch % 10 === 0 || epoch === 1) {
      out(`epoch ${String(epoch).padStart(2)}  train loss ${t === undefined ? '   -  ' : t.loss.toFixed(4)}  val acc ${(v.acc * 100).toFixed(1)}%\n`);
    }
  }

  // Evaluation media, in one row after the last epoch.
  const boundary = join(work, runId, 'decision-boundary.png');
  const modelPath = saveModel(model, join(work, runId), { val_acc: best.acc });
  writeFileSync(boundary, decisionBoundaryPng(model, val));
  const media = await call({
    action: 'log',
    project: PROJECT,
    runId,
    logData: {
      metrics: {
        'eval/confusion_matrix': confusionTable(model, val),
        'weights/histogram': weightHistogram(model),
        'eval/decision_boundary': { _type: 'image', path: boundary, caption: 'Predicted class over the plane, validation points darker' },
      },
    },
  });
  const artifact = await call({
    action: 'artifact',
    project: PROJECT,
    runId,
    artifactConfig: { name: MODEL, type: 'model', path: modelPath, description: 'MLP weights (JSON)', metadata: { hidden: config.hidden, val_acc: best.acc } },
  });
  const fin = await call({ action: 'finish', project: PROJECT, runId, exitCode: 0 });
  out(
    [
      '',
      `finished: ${fin.historyLength} rows logged, best val acc ${(best.acc * 100).toFixed(1)}% at epoch ${best.epoch}, ${fired} alert(s) fired`,
      `media:    eval/confusion_matrix (table), weights/histogram, eval/decision_boundary (PNG); ${(media.media ?? []).length} files written`,
      `model:    ${MODEL}:${artifact.artifact?.version} (${artifact.artifact?.size} bytes, digest ${artifact.artifact?.digest})`,
      '',
    ].join('\n'),
  );

  const { status, models } = await demoSweep({
    project: PROJECT,
    runner,
    skillOptions,
    data: { train, val },
    runs: 6,
    epochs: 20,
    write: out,
    modelName: MODEL,
    saveModel: (m, id, cfg) => saveModel(m, join(work, id), { ...cfg }),
  });
  const sweepId = status.sweepId as string;
  const sweepBest = status.sweep?.['bestRun'] as { runId: string; metric: number; config: Record<string, unknown> } | null;
  let linked: SkillOutput | undefined;
  if (sweepBest) {
    out(
      `best run ${sweepBest.runId}: val/loss ${sweepBest.metric.toFixed(4)} with lr ${(sweepBest.config['lr'] as number).toFixed(4)}, hidden ${sweepBest.config['hidden']}\n`,
    );
    const version = models.get(sweepBest.runId);
    if (version !== undefined) {
      linked = await call({
        action: 'artifact',
        operation: 'link',
        project: PROJECT,
        artifactConfig: { name: version, registry: REGISTRY, aliases: ['production'] },
      });
      out(`registry: ${version} linked to ${REGISTRY} as production\n`);
    }
  }

  const runReport = await call({
    action: 'report',
    project: PROJECT,
    reportConfig: { title: 'Spirals MLP training run', runIds: [runId], metrics: ['train/loss', 'val/loss', 'val/acc', 'lr', 'grad_norm'] },
  });
  const sweepReport = await call({
    action: 'report',
    project: PROJECT,
    reportConfig: { title: 'Spirals MLP sweep', sweepId, metrics: ['val/loss', 'val/acc', 'train/loss'] },
  });
  await runner.flush();
  const cwd = process.cwd();
  const rel = (p: unknown) => (typeof p === 'string' ? (relative(cwd, p).startsWith('..') ? p : relative(cwd, p)) : '');
  out(
    [
      '',
      `store:    ${rel(fin.storePath)}`,
      `run:      ${fin.runUrl}`,
      `sweep:    ${status.sweepUrl}`,
      `registry: ${REGISTRY}${linked?.artifactUrl ? ` (${linked.artifactUrl})` : ''}`,
      `reports:  ${rel(runReport.report?.path)}`,
      `          ${rel(sweepReport.report?.path)}`,
      `browse:   npx wandb-skill serve   (dashboard on http://127.0.0.1:8765)`,
      '',
    ].join('\n'),
  );
  runner.close();
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
