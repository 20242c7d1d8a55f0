import type { Migration } from './migrations.js';

/** The reports tables' schema changes (filled in by the reports feature). */
export const REPORT_MIGRATIONS: readonly Migration[] = [];
