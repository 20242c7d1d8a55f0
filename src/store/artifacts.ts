import type { Migration } from './migrations.js';

/** The artifacts tables' schema changes (filled in by the artifacts feature). */
export const ARTIFACT_MIGRATIONS: readonly Migration[] = [];
