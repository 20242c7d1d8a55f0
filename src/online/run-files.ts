import { mkdirSync, readFileSync } from 'node:fs';
import { replaceFile } from '../replace-file.js';
import { join } from 'node:path';
import * as os from 'node:os';
import { stringifyExtended } from '../json/extended-json.js';
import { configToYaml, encodeConfig } from '../wandb/config-encoding.js';
import type { RunRecord } from '../store/index.js';
import { runFilesDir } from '../runs/paths.js';

export interface RunFile {
  /** Run-relative name, e.g. `config.yaml`. */
  name: string;
  path: string;
}

/** The metadata init wrote for the run, if any (an unreadable file counts as none). */
function startMetadata(path: string): Record<string, unknown> {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * Writes the files W&B's SDK uploads at finish (PROTOCOL.md 4.1): wandb-metadata.json, config.yaml
 * and wandb-summary.json, into the run's files folder, and lists them for upload.
 */
export function writeFinishFiles(dir: string, run: RunRecord, summary: Record<string, unknown>, version: string): RunFile[] {
  const folder = runFilesDir(dir, run.project, run.id);
  mkdirSync(folder, { recursive: true });
  const metadata = {
    os: `${os.platform()}-${os.release()}`,
    host: run.host,
    username: run.username,
    program: 'wandb-experiment-tracker',
    // What init recorded of the process that started the run (program, args, git) is kept.
    ...startMetadata(join(folder, 'wandb-metadata.json')),
    startedAt: new Date(run.createdAt * 1000).toISOString(),
    heartbeatAt: new Date(run.heartbeatAt * 1000).toISOString(),
    sdk: `wandb-experiment-tracker/${version}`,
    node: process.version,
  };
  const files: Array<[string, string]> = [
    ['wandb-metadata.json', JSON.stringify(metadata, null, 2)],
    ['config.yaml', configToYaml(encodeConfig(run.config))],
    ['wandb-summary.json', stringifyExtended(summary)],
  ];
  return files.map(([name, text]) => {
    const path = join(folder, name);
    // A link planted at the name is replaced, never written through.
    replaceFile(path, text);
    return { name, path };
  });
}
