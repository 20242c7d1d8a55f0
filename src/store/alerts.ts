import type { Migration } from './migrations.js';

/** The alerts tables' schema changes (filled in by the alerts feature). */
export const ALERT_MIGRATIONS: readonly Migration[] = [];
