/**
 * Injected faults of the test server: plans queued per route and used up one request at a time, and
 * the responses a `hang` plan holds open until the server closes.
 */
import type { ServerResponse } from 'node:http';
import { send } from './wandb-server-http.js';
import type { FaultPlan, FaultRoute, RecordedRequest } from './wandb-server-types.js';

export interface Faults {
  /** Queues a plan behind the ones already waiting on its route. */
  add(route: FaultRoute, plan: FaultPlan): void;
  clear(): void;
  /** The next plan of the first of `keys` (then `*`) that has one, used up by one request. */
  take(keys: string[]): FaultPlan | undefined;
  /** Answers a fault; returns false when the plan only delays (serve normally afterwards). */
  answer(res: ServerResponse, plan: FaultPlan, record: RecordedRequest): Promise<boolean>;
  /** Drops the responses hanging plans hold open, so that the server can close. */
  destroyHanging(): void;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function createFaults(): Faults {
  const faults = new Map<string, FaultPlan[]>();
  const hanging = new Set<ServerResponse>();
  return {
    add(route, plan) {
      const list = faults.get(route) ?? [];
      list.push(plan);
      faults.set(route, list);
    },
    clear: () => faults.clear(),
    take(keys) {
      for (const key of [...keys, '*']) {
        const plans = faults.get(key);
        const plan = plans?.[0];
        if (plans === undefined || plan === undefined) continue;
        const left = (plan.times ?? 1) - 1;
        if (left <= 0) plans.shift();
        else plans[0] = { ...plan, times: left };
        return plan;
      }
      return undefined;
    },
    async answer(res, plan, record) {
      record.fault = plan;
      if (plan.hang === true) {
        hanging.add(res);
        res.on('close', () => hanging.delete(res));
        return true;
      }
      if (plan.delayMs !== undefined) await sleep(plan.delayMs);
      if (plan.graphqlErrors !== undefined) {
        record.status = 200;
        send(res, 200, { data: null, errors: plan.graphqlErrors.map((message) => ({ message })) });
        return true;
      }
      if (plan.status === undefined && plan.delayMs !== undefined) return false;
      const status = plan.status ?? 500;
      const headers: Record<string, string> = { ...plan.headers };
      if (plan.retryAfter !== undefined) headers['Retry-After'] = String(plan.retryAfter);
      record.status = status;
      send(res, status, plan.body ?? { error: `injected fault ${status}` }, headers);
      return true;
    },
    destroyHanging() {
      for (const res of hanging) res.destroy();
    },
  };
}
