import type { Migration } from './migrations.js';

/** The sync tables' schema changes (filled in by the sync feature). */
export const SYNC_MIGRATIONS: readonly Migration[] = [];
