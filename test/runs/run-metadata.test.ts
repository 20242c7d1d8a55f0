// A new run records the process that started it, as W&B's wandb-metadata.json does: the program and
// its arguments (secrets masked), the folder, and the git commit, branch and remote (credentials
// masked) read from the repository's files. Checked against `git` itself in real repositories
// (loose refs, packed refs, a worktree, a detached HEAD), from a script and from the CLI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitFactsOf, maskedArgs } from '../../src/runs/run-metadata.js';
import { binPath, repoRoot, tempDir } from '../helpers/tmp.js';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, {
    cwd,
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' },
  })
    .toString()
    .trim();

/** A repository with one commit on branch `trunk` and an origin whose URL holds a token. */
function repo(dir: string): string {
  const r = join(dir, 'repo');
  mkdirSync(r);
  git(r, 'init', '-q', '-b', 'trunk');
  writeFileSync(join(r, 'train.mjs'), '// a training script\n');
  git(r, 'add', '.');
  git(r, 'commit', '-q', '-m', 'first');
  git(r, 'remote', 'add', 'origin', 'https://alice:ghp_s3cr3tT0ken1234567890abcdef@github.com/alice/models.git');
  return r;
}

test('git facts match git itself: loose and packed refs, a subfolder, a worktree, a detached HEAD; the remote loses its credentials', (t) => {
  const { dir, cleanup } = tempDir('meta-git-');
  t.after(cleanup);
  const r = repo(dir);
  const head = git(r, 'rev-parse', 'HEAD');
  const sub = join(r, 'a', 'b');
  mkdirSync(sub, { recursive: true });
  const facts = gitFactsOf(sub);
  assert.equal(facts?.commit, head);
  assert.equal(facts?.branch, 'trunk');
  assert.ok(facts?.remote?.includes('github.com/alice/models.git'), facts?.remote);
  assert.ok(!facts?.remote?.includes('ghp_s3cr3t'), `the token is masked: ${facts?.remote}`);

  git(r, 'pack-refs', '--all');
  assert.equal(gitFactsOf(r)?.commit, head, 'packed refs');

  const wt = join(dir, 'wt');
  git(r, 'worktree', 'add', '-q', '-b', 'side', wt);
  writeFileSync(join(wt, 'x.txt'), 'x');
  git(wt, 'add', '.');
  git(wt, 'commit', '-q', '-m', 'side');
  const wtFacts = gitFactsOf(wt);
  assert.equal(wtFacts?.commit, git(wt, 'rev-parse', 'HEAD'));
  assert.notEqual(wtFacts?.commit, head);
  assert.equal(wtFacts?.branch, 'side');

  git(r, 'checkout', '-q', '--detach');
  assert.deepEqual({ ...gitFactsOf(r), remote: undefined }, { commit: head, remote: undefined });

  assert.equal(gitFactsOf(dir), undefined, 'no repository above the temp folder');
});

test('arguments that name a secret are masked, URL credentials too; long arguments are cut', () => {
  assert.deepEqual(maskedArgs(['--lr', '0.1', '--api-key=abc123', '--token', 'tok', '--db', 'postgres://u:pw@host/db', 'x'.repeat(3000)]).slice(0, 6), [
    '--lr',
    '0.1',
    '--api-key=***',
    '--token',
    '***',
    '--db',
  ]);
  const [url, long] = maskedArgs(['postgres://u:pw@host/db', 'x'.repeat(3000)]);
  assert.ok(url !== undefined && !url.includes('pw'), url);
  assert.equal(long?.length, 2003);
});

test('init from a script in a repository records the program, its masked arguments and the commit; from the CLI, the commit without the call', (t) => {
  const { dir, cleanup } = tempDir('meta-init-');
  t.after(cleanup);
  const r = repo(dir);
  const head = git(r, 'rev-parse', 'HEAD');
  const script = join(r, 'train.mjs');
  writeFileSync(
    script,
    `import { executeSkill, closeStores } from ${JSON.stringify(join(repoRoot, 'dist', 'src', 'index.js'))};
const out = await executeSkill({ action: 'init', project: 'p', runConfig: { name: 'scripted', ...(process.env.RUN_ID ? { id: process.env.RUN_ID } : {}) } }, { env: { WANDB_MODE: 'offline' }, cwd: process.cwd(), dir: process.cwd(), homedir: process.cwd() });
closeStores();
process.stdout.write(JSON.stringify(out));
`,
  );
  const out = JSON.parse(execFileSync(process.execPath, [script, '--epochs', '3', '--password', 'hunter2'], { cwd: r }).toString()) as {
    runId: string;
    status: string;
  };
  assert.equal(out.status, 'success');
  const meta = JSON.parse(readFileSync(join(r, 'wandb', 'runs', 'p', out.runId, 'files', 'wandb-metadata.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(meta['program'], script);
  assert.deepEqual(meta['args'], ['--epochs', '3', '--password', '***']);
  assert.equal(meta['root'], r);
  assert.deepEqual(meta['git'], { branch: 'trunk', commit: head, remote: (meta['git'] as { remote: string }).remote });
  assert.ok(!JSON.stringify(meta).includes('hunter2') && !JSON.stringify(meta).includes('ghp_s3cr3t'));

  const cli = JSON.parse(
    execFileSync(process.execPath, [binPath, JSON.stringify({ action: 'init', project: 'p' })], {
      cwd: r,
      env: { PATH: process.env['PATH'] ?? '', HOME: r, WANDB_MODE: 'offline', WANDB_DIR: r },
    }).toString(),
  ) as { runId: string };
  // A link planted where the next run's file goes (its id given) is replaced, not written through.
  const victim = join(dir, 'victim.txt');
  writeFileSync(victim, 'keep me');
  const planted = join(r, 'wandb', 'runs', 'p', 'planted1', 'files');
  mkdirSync(planted, { recursive: true });
  symlinkSync(victim, join(planted, 'wandb-metadata.json'));
  const byId = JSON.parse(execFileSync(process.execPath, [script], { cwd: r, env: { ...process.env, RUN_ID: 'planted1' } }).toString()) as { status: string };
  assert.equal(byId.status, 'success');
  assert.equal(readFileSync(victim, 'utf8'), 'keep me');
  assert.ok(!lstatSync(join(planted, 'wandb-metadata.json')).isSymbolicLink());

  const cliMeta = JSON.parse(readFileSync(join(r, 'wandb', 'runs', 'p', cli.runId, 'files', 'wandb-metadata.json'), 'utf8')) as Record<string, unknown>;
  assert.equal(cliMeta['program'], 'wandb-skill');
  assert.equal(cliMeta['args'], undefined, 'the call itself is not recorded as arguments');
  assert.equal((cliMeta['git'] as { commit: string }).commit, head);
});
