/** `npm run bench`: every benchmark, printed as one table. Baselines are measured in the same run. */
import { join } from 'node:path';
import { benchCli, benchLog, benchV1Scalars } from './core.js';
import { printTable, type Row } from './stats.js';
import { benchDashboard } from './dashboard.js';

const root = new URL('../../', import.meta.url).pathname;
const bin = join(root, 'dist', 'bin', 'wandb-skill.cjs');
const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);

const rows: Row[] = [];
if (want('log')) rows.push(...(await benchLog(20000)));
if (want('cli')) rows.push(...benchCli(bin, 25));
if (want('v1')) rows.push(...(await benchV1Scalars()));
if (want('dashboard')) rows.push(...(await benchDashboard()));
process.stdout.write(printTable(rows) + '\n');
