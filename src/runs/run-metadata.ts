/**
 * What W&B's SDK records of the process that starts a run, in its `wandb-metadata.json`: the
 * program and its arguments, the working folder, the executable, the OS, and the git commit, branch
 * and remote of the working folder's repository when it is in one. The git facts are read from
 * files (HEAD, the ref it names, loose or packed, and the origin's URL), not by running `git`.
 * Arguments that look like secrets and credentials in the remote's URL are masked: the file is shown
 * on the dashboard and uploaded with the run.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { redactUrl } from '../redact-url.js';

/** The facts of the calling process (injectable: tests and the CLI give their own). */
export interface ProcessFacts {
  argv: readonly string[];
  cwd: string;
  execPath: string;
  platform: string;
  release: string;
  nodeVersion: string;
  /** The CLI or the MCP server: their arguments are the call itself, not a program's command line. */
  viaCli: boolean;
}

export interface GitFacts {
  commit?: string;
  branch?: string;
  remote?: string;
}

const MASK = '***';
/** An argument naming a secret: its value (after `=`, or the next argument) is masked. */
const SECRET_NAME = /(?:key|token|secret|passw(?:or)?d|credential|auth)/i;
const MAX_ARGS = 200;
const MAX_ARG_CHARS = 2000;
/** Folders walked up from the working folder looking for `.git`. */
const MAX_DEPTH = 64;

function readSmall(path: string): string | undefined {
  try {
    const st = statSync(path);
    if (!st.isFile() || st.size > 1 << 20) return undefined;
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The command-line arguments with secret-looking values masked and long ones cut. */
export function maskedArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  let maskNext = false;
  for (const a of args.slice(0, MAX_ARGS)) {
    let v = a;
    if (maskNext) v = MASK;
    maskNext = false;
    const eq = a.indexOf('=');
    if (a.startsWith('-') && SECRET_NAME.test(eq < 0 ? a : a.slice(0, eq))) {
      if (eq < 0) maskNext = true;
      else v = `${a.slice(0, eq + 1)}${MASK}`;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) v = redactUrl(v);
    out.push(v.length > MAX_ARG_CHARS ? `${v.slice(0, MAX_ARG_CHARS)}...` : v);
  }
  return out;
}

/** The repository's git folder for `cwd` (a `.git` folder, or the folder a `.git` file points to), or undefined. */
function gitDirOf(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (let i = 0; i < MAX_DEPTH; i++) {
    const dotGit = join(dir, '.git');
    try {
      const st = statSync(dotGit);
      if (st.isDirectory()) return dotGit;
      if (st.isFile()) {
        // A worktree or a submodule: "gitdir: <path>".
        const m = /^gitdir:\s*(.+?)\s*$/m.exec(readSmall(dotGit) ?? '');
        if (m === null) return undefined;
        const target = m[1] as string;
        return isAbsolute(target) ? target : resolve(dir, target);
      }
    } catch {
      // not here: one folder up
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
  return undefined;
}

/** The git commit, branch and origin URL of the repository holding `cwd`, as far as its files say. */
export function gitFactsOf(cwd: string): GitFacts | undefined {
  const gitDir = gitDirOf(cwd);
  if (gitDir === undefined) return undefined;
  // A worktree keeps refs and config in the common folder it names.
  const commonRel = readSmall(join(gitDir, 'commondir'))?.trim();
  const common = commonRel === undefined || commonRel === '' ? gitDir : resolve(gitDir, commonRel);
  const head = readSmall(join(gitDir, 'HEAD'))?.trim();
  if (head === undefined) return undefined;
  const facts: GitFacts = {};
  const ref = /^ref:\s*(refs\/\S+)$/.exec(head)?.[1];
  if (ref === undefined) {
    if (/^[0-9a-f]{40,64}$/.test(head)) facts.commit = head;
  } else {
    if (ref.startsWith('refs/heads/')) facts.branch = ref.slice('refs/heads/'.length);
    // A ref name with `..` could leave the git folder: such a HEAD is not trusted.
    const loose = ref.includes('..') ? undefined : (readSmall(join(gitDir, ref)) ?? readSmall(join(common, ref)))?.trim();
    const packed =
      loose ??
      readSmall(join(common, 'packed-refs'))
        ?.split('\n')
        .find((l) => l.endsWith(` ${ref}`))
        ?.split(' ')[0];
    if (packed !== undefined && /^[0-9a-f]{40,64}$/.test(packed)) facts.commit = packed;
  }
  const config = readSmall(join(common, 'config'));
  const origin = config === undefined ? undefined : /\[remote "origin"\][^[]*?^\s*url\s*=\s*(.+?)\s*$/m.exec(config)?.[1];
  if (origin !== undefined) facts.remote = redactUrl(origin);
  return Object.keys(facts).length > 0 ? facts : undefined;
}

/** The run's `wandb-metadata.json`, in W&B's field names. */
export function runMetadata(p: ProcessFacts, run: { host: string | null; username: string | null; createdAt: number }): Record<string, unknown> {
  const git = gitFactsOf(p.cwd);
  return {
    os: `${p.platform}-${p.release}`,
    ...(p.viaCli ? { program: 'wandb-skill' } : { program: p.argv[1] ?? '<node>', args: maskedArgs(p.argv.slice(2)) }),
    root: p.cwd,
    executable: p.execPath,
    node: p.nodeVersion,
    host: run.host,
    username: run.username,
    startedAt: new Date(run.createdAt * 1000).toISOString(),
    ...(git !== undefined ? { git } : {}),
  };
}
