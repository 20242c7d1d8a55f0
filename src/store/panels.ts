import type { Migration } from './migrations.js';

/** The panels tables' schema changes (filled in by the panels feature). */
export const PANEL_MIGRATIONS: readonly Migration[] = [];
