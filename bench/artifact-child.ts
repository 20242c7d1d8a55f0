/**
 * The artifact benchmark's child: logs a folder as an artifact twice (the second time unchanged) in
 * its own process, so its peak RSS is the artifact path's alone, then downloads it. Prints one JSON line.
 * argv: <folder> <working dir>
 */
import { createSkillRunner } from '../src/skill.js';

const [folder, cwd] = process.argv.slice(2) as [string, string];
const runner = createSkillRunner({ env: { WANDB_MODE: 'offline' }, cwd });
const init = await runner.execute({ action: 'init', project: 'bench-artifact' });
const runId = init.runId as string;
const times: number[] = [];
const versions: string[] = [];
for (let i = 0; i < 2; i++) {
  const t = performance.now();
  const out = await runner.execute({
    action: 'artifact',
    project: 'bench-artifact',
    runId,
    artifactConfig: { name: 'big-folder', type: 'dataset', path: folder },
  });
  times.push(performance.now() - t);
  if (out.status !== 'success') throw new Error(JSON.stringify(out.error));
  versions.push(out.artifact?.version ?? '?');
}
// Then the version's files written out again, as `download` does.
const t = performance.now();
const dl = await runner.execute({
  action: 'artifact',
  operation: 'download',
  project: 'bench-artifact',
  artifactConfig: { name: 'big-folder:v0', downloadPath: `${cwd}/download` },
});
const downloadMs = performance.now() - t;
if (dl.status !== 'success') throw new Error(JSON.stringify(dl.error));
runner.close();
// maxRSS is in kilobytes.
process.stdout.write(`${JSON.stringify({ firstMs: times[0], secondMs: times[1], downloadMs, versions, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
