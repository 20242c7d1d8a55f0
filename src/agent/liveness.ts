/** Whether a process of this host is still alive (the check behind crashed agent trials). */
import { hostname } from 'node:os';

export interface Liveness {
  /** This host's name, as recorded with a trial's processes. */
  host: string;
  /** This process's id. */
  pid: number;
  isAlive(pid: number): boolean;
}

/** The real answer: signal 0 probes a process without touching it (EPERM: alive, someone else's). */
export function processLiveness(): Liveness {
  return {
    host: hostname(),
    pid: process.pid,
    isAlive(pid) {
      try {
        process.kill(pid, 0);
        return true;
      } catch (err) {
        return (err as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
  };
}
