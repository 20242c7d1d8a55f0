/**
 * `npm run bench`: every benchmark, printed as one table. Baselines are measured in the same run.
 * `npm run bench -- report alerts` runs only those (log, cli, v1, dashboard, artifact, report,
 * alerts, sync, online, wandb-files, mcp, sweep, query, history, search; report-1m only when named).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { benchCli, benchLog, benchV1Scalars } from './core.js';
import { printTable, type Row } from './stats.js';
import { benchDashboard } from './dashboard.js';
import { benchArtifact } from './artifact.js';
import { benchReport } from './report.js';
import { benchAlerts } from './alerts.js';
import { benchOnlineLog, benchSync } from './online.js';
import { benchWandbFiles } from './wandb-files.js';
import { benchMcp } from './mcp.js';
import { benchSweep } from './sweep.js';
import { benchQuery } from './query.js';
import { benchHistory } from './history.js';
import { benchSearch } from './search.js';

const root = new URL('../../', import.meta.url).pathname;
const bin = join(root, 'dist', 'bin', 'wandb-skill.cjs');
const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);

const rows: Row[] = [];
const step = async (name: string, fn: () => Row[] | Promise<Row[]>): Promise<void> => {
  if (!want(name)) return;
  // The disk's writeback of the last group's files (the dashboard's 1M-row stores, say) is flushed
  // first: left running, it slowed the next group's fsyncs (the import read 178k rows/s after the
  // dashboard group, 235k alone).
  try {
    execFileSync('sync', { stdio: 'ignore' });
  } catch {
    // No `sync` command (not Linux/macOS): the groups run as they come.
  }
  process.stderr.write(`bench: ${name}...\n`);
  rows.push(...(await fn()));
};
await step('log', () => benchLog(join(root, 'dist', 'bench', 'log-child.js'), 20000));
await step('cli', () => benchCli(bin, 25));
await step('v1', () => benchV1Scalars());
await step('dashboard', () => benchDashboard());
await step('artifact', () => benchArtifact(join(root, 'dist', 'bench', 'artifact-child.js')));
await step('report', () => benchReport());
if (only.includes('report-1m')) await step('report-1m', () => benchReport(10, 1_000_000, 5, '< 2 s'));
await step('history', () => benchHistory());
await step('alerts', () => benchAlerts());
await step('sync', () => benchSync());
await step('online', () => benchOnlineLog());
await step('wandb-files', () => benchWandbFiles());
await step('mcp', () => benchMcp(bin, 2000));
await step('sweep', () => benchSweep());
await step('query', () => benchQuery());
await step('search', () => benchSearch());
process.stdout.write(printTable(rows) + '\n');
