/**
 * wandb-experiment-tracker: W&B-style experiment tracking for TypeScript pipelines and AI agents.
 * This entry loads the pipeline alone; the heavier shells have their own entry points, so importing
 * the package does not load a web server or a process supervisor:
 * `wandb-experiment-tracker/dashboard` (startDashboard), `wandb-experiment-tracker/agent` (runAgent),
 * `wandb-experiment-tracker/sync` (syncRuns).
 */
export { executeSkill, createSkillRunner, closeStores, SKILL_NAME } from './skill.js';
export type { ExecuteOptions, SkillOptions, SkillRunner } from './skill.js';
export type { HttpRetrySettings, RetryOptions } from './http/retry.js';
export type { ProgressEvent } from './services.js';
export { createTracker } from './tracker.js';
export type { Tracker, TrackerOptions, TrackedRun, RunConfig, LogOptions } from './tracker.js';
export { SkillError, ERROR_CODES, toErrorPayload, normalizeError } from './errors.js';
export type { ErrorCode, ErrorPayload, ErrorIssue } from './errors.js';
export type { SkillInput, SkillOutput } from './contract/types.generated.js';
export { outputIssues } from './contract/validate.js';
export { stringifyExtended, parseExtended } from './json/extended-json.js';
export { createLogger } from './logger.js';
export { openStore } from './store/index.js';
export type { Store, RunRecord, RunState } from './store/index.js';
export { defaultStorePath } from './settings.js';
export { exportWandbRuns, importWandbRuns } from './wandb-files/index.js';
export type { WandbExportOptions, WandbExportResult, ExportedRun, WandbImportOptions, WandbImportResult, ImportedRun } from './wandb-files/index.js';
