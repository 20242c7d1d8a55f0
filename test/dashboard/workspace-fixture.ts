/**
 * A workspace store built through the runner: 24 runs in two groups (resnet, convnext) with nested
 * config, two job types, a `val/acc` metric, one run that logged NaN and Infinity, and one still running.
 */
import { createSkillRunner } from '../../src/index.js';
import { valid } from '../helpers/tmp.js';

export interface WorkspaceFixture {
  project: string;
  runs: string[];
  nan: string;
  running: string;
}

export async function buildWorkspace(dir: string, project = 'ws'): Promise<WorkspaceFixture> {
  const runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd: dir });
  const runs: string[] = [];
  try {
    for (let k = 0; k < 24; k++) {
      const arch = k % 2 === 0 ? 'resnet' : 'convnext';
      const init = valid(
        await runner.execute({
          action: 'init',
          project,
          runConfig: {
            name: `${arch}-${String(k).padStart(2, '0')}`,
            group: arch,
            jobType: k % 3 === 0 ? 'eval' : 'train',
            config: { model: { arch, depth: 18 + k }, optimizer: k % 4 < 2 ? 'sgd' : 'adam', lr: 10 ** -(2 + (k % 3)) },
          },
        }),
      );
      const runId = init.runId as string;
      const base = arch === 'resnet' ? 1 : 2;
      for (let i = 0; i < 20; i++)
        valid(
          await runner.execute({
            action: 'log',
            project,
            runId,
            logData: { metrics: { loss: base / (i + 1) + k * 0.001, 'val/acc': 1 - base / (i + 3), lr_now: 0.1 * 0.9 ** i } },
          }),
        );
      if (k !== 23) valid(await runner.execute({ action: 'finish', project, runId }));
      runs.push(runId);
    }
    const init = valid(await runner.execute({ action: 'init', project, runConfig: { name: 'diverged', config: { optimizer: 'sgd', lr: 1 } } }));
    const nan = init.runId as string;
    const values = [1, 2, Number.NaN, Number.POSITIVE_INFINITY, 3, 4];
    for (const v of values) valid(await runner.execute({ action: 'log', project, runId: nan, logData: { metrics: { loss: v } } }));
    valid(await runner.execute({ action: 'finish', project, runId: nan }));
    runs.push(nan);
    return { project, runs, nan, running: runs[23] as string };
  } finally {
    runner.close();
  }
}
