import type { Migration } from './migrations.js';

/** The sweeps tables' schema changes (filled in by the sweeps feature). */
export const SWEEP_MIGRATIONS: readonly Migration[] = [];
