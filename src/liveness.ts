/** Whether a process is still alive (the check behind crashed agent trials). */
import { readFileSync, readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

export interface Liveness {
  /**
   * Where this process's pids mean something: the host name and, on Linux, the boot and the pid
   * namespace. Only processes recorded under the same value are ever checked, so a container with
   * the same host name (its own pid namespace) or another boot never judges them.
   */
  host: string;
  /** This process's id. */
  pid: number;
  isAlive(pid: number): boolean;
}

function read(fn: () => string): string | undefined {
  try {
    return fn().trim();
  } catch {
    return undefined;
  }
}

/** The host name, plus the boot id and pid namespace where the system tells them (Linux). */
export function pidScope(): string {
  const boot = read(() => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8'));
  const ns = read(() => readlinkSync('/proc/self/ns/pid'));
  return [hostname(), boot, ns].filter((x) => x !== undefined && x !== '').join(' ');
}

/** The real answer: signal 0 probes a process without touching it (EPERM: alive, someone else's). */
export function processLiveness(): Liveness {
  return {
    host: pidScope(),
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
