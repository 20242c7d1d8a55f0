/** wandb-experiment-tracker: W&B-style experiment tracking for TypeScript pipelines and AI agents. */
export { executeSkill, createSkillRunner, SKILL_NAME } from './skill.js';
export type { SkillOptions, SkillRunner } from './skill.js';
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
export { runAgent, type RunAgentOptions, type AgentTrial, type AgentResult, type AgentRunResult } from './agent/index.js';
export { syncRuns } from './online/sync.js';
export type { SyncOptions, SyncResult, SyncProgress } from './online/sync.js';
export { startDashboard, type Dashboard, type DashboardOptions } from './dashboard/index.js';
