import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test } from 'node:test';
import { collectFiles, createContentStore, createManifest, hashBytes } from '../../src/artifacts/index.js';
import type { ManifestEntry } from '../../src/artifacts/index.js';
import { assertSkillError } from '../media/helpers/assert-skill-error.js';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cas-'));
});
after(async () => rm(dir, { recursive: true, force: true }));

async function countObjects(root: string): Promise<number> {
  const entries = await readdir(join(root, 'objects'), { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).length;
}

test('identical content is stored once; the object path is filesystem-safe', async () => {
  const root = join(dir, 'store1');
  const cas = createContentStore({ root });
  await mkdir(join(dir, 'in'), { recursive: true });
  // This content's base64 MD5 contains "/" or "+": pick one that does.
  let i = 0;
  while (!/[+/]/.test(hashBytes(`content ${i}`).md5)) i++;
  const body = `content ${i}`;
  await writeFile(join(dir, 'in/one.txt'), body);
  await writeFile(join(dir, 'in/two.txt'), body);
  const a = await cas.put(join(dir, 'in/one.txt'));
  const b = await cas.put(join(dir, 'in/two.txt'));
  const c = await cas.putBytes(body);
  assert.equal(a.digest, hashBytes(body).md5);
  assert.equal(a.created, true);
  assert.equal(b.created, false);
  assert.equal(c.created, false);
  assert.equal(a.path, b.path);
  assert.equal(await countObjects(root), 1);
  assert.match(relative(root, cas.pathOf(a.digest)), /^objects\/md5\/[0-9a-f]{2}\/[0-9a-f]{30}$/);
  assert.equal(await cas.has(a.digest), true);
  assert.equal(await cas.has(hashBytes('other').md5), false);
  assert.deepEqual(await readdir(join(root, 'tmp')), [], 'no temp files left');
  assert.throws(
    () => cas.pathOf('../../x'),
    (e) => assertSkillError(e, 'INVALID_INPUT'),
  );
});

test('materialize copies a manifest into a directory; references are listed, not copied', async () => {
  const src = join(dir, 'src');
  await mkdir(join(src, 'nested'), { recursive: true });
  await writeFile(join(src, 'a.txt'), 'alpha');
  await writeFile(join(src, 'nested/b.txt'), 'beta');
  const cas = createContentStore({ root: join(dir, 'store2') });
  const contents: Record<string, ManifestEntry> = {};
  for (const f of await collectFiles(src)) contents[f.path] = { digest: (await cas.put(f.absPath)).digest, size: f.size };
  contents['remote.csv'] = { digest: 'etag', ref: 's3://bucket/remote.csv' };
  const out = join(dir, 'out');
  const progress: number[] = [];
  const res = await cas.materialize(createManifest(contents), out, { onProgress: (p) => progress.push(p.filesDone) });
  assert.deepEqual(res.written, ['a.txt', 'nested/b.txt']);
  assert.deepEqual(res.references, [{ path: 'remote.csv', ref: 's3://bucket/remote.csv' }]);
  assert.equal(await readFile(join(out, 'nested/b.txt'), 'utf8'), 'beta');
  assert.deepEqual(progress, [1, 2, 3]);
});

test('materialize refuses traversal (`..`, absolute, backslash) before writing anything', async () => {
  const cas = createContentStore({ root: join(dir, 'store3') });
  const { digest } = await cas.putBytes('x');
  for (const bad of ['../evil.txt', 'a/../../evil.txt', '/etc/evil', 'a\\..\\evil', 'a//b']) {
    const target = join(dir, `t-${Math.random().toString(36).slice(2)}`);
    await assert.rejects(cas.materialize({ contents: { 'ok.txt': { digest }, [bad]: { digest } } }, target), (e) =>
      assertSkillError(e, 'INVALID_INPUT', `manifest.contents.${bad}`),
    );
    assert.equal(existsSync(target), false, 'nothing written, not even the folder');
  }
  await assert.rejects(cas.materialize({ contents: { 'x.txt': { digest: hashBytes('never stored').md5 } } }, join(dir, 't-missing')), (e) =>
    assertSkillError(e, 'NOT_FOUND'),
  );
});

test('materialize refuses to write through a symbolic link inside the target', async () => {
  const cas = createContentStore({ root: join(dir, 'store4') });
  const { digest } = await cas.putBytes('payload');
  const target = join(dir, 'target-link');
  const elsewhere = join(dir, 'elsewhere');
  await mkdir(target, { recursive: true });
  await mkdir(elsewhere, { recursive: true });
  await symlink(elsewhere, join(target, 'sub'));
  await assert.rejects(cas.materialize({ contents: { 'sub/file.txt': { digest } } }, target), (e) => assertSkillError(e, 'INVALID_INPUT'));
  assert.deepEqual(await readdir(elsewhere), []);
  // a file-level link at the destination is replaced, not written through
  await writeFile(join(elsewhere, 'victim.txt'), 'keep');
  await symlink(join(elsewhere, 'victim.txt'), join(target, 'file.txt'));
  await cas.materialize({ contents: { 'file.txt': { digest } } }, target);
  assert.equal(await readFile(join(elsewhere, 'victim.txt'), 'utf8'), 'keep');
  assert.equal(await readFile(join(target, 'file.txt'), 'utf8'), 'payload');
});
