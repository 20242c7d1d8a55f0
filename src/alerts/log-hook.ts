import type { LogHook } from '../actions/log-hooks.js';

/**
 * Alert rules: checked on every committed log of a run that has rules; a rule that holds fires its
 * alert (listed in the log's `alerts`). (Filled in by the alerts feature.)
 */
export const alertLogHook: LogHook = () => undefined;
