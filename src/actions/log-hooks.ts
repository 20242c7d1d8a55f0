import type { ActionContext } from './context.js';
import type { LogHook as HookOf } from '../runs/log-hooks.js';
import { sweepLogHook } from './sweep/log-hook.js';
import { alertLogHook } from '../alerts/log-hook.js';

export type { LogHookResult } from '../runs/log-hooks.js';
/** A hook as log() runs it: with the action's whole context. */
export type LogHook = HookOf<ActionContext>;

/** The hooks every committed log runs, in order. */
export const LOG_HOOKS: readonly LogHook[] = [sweepLogHook, alertLogHook];
