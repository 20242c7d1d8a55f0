import type { ActionContext } from './context.js';
import type { LogHook as HookOf, LogHookInput as HookInputOf } from '../runs/log-hooks.js';
import { sweepLogHook } from './sweep/log-hook.js';
import { alertLogHook } from '../alerts/log-hook.js';

export type { LogHookResult } from '../runs/log-hooks.js';
/** A hook as log() runs it: with the action's whole context. */
export type LogHook = HookOf<ActionContext>;
export type LogHookInput = HookInputOf<ActionContext>;

/** The hooks every committed log runs, in order. */
export const LOG_HOOKS: readonly LogHook[] = [sweepLogHook, alertLogHook];
