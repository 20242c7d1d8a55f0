/** A new store is a copy of the build's empty store (src/store/template.ts), and equals one made in place. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStoreDb } from '../../src/store/db.js';
import { copyTemplate, defaultTemplate } from '../../src/store/template.js';
import { tempDir } from '../helpers/tmp.js';

/** What a store's schema is: its objects with their SQL, the migrations it records, its page size and journal mode. */
function schemaOf(path: string) {
  const db = new Database(path, { readonly: true });
  try {
    return {
      objects: db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all(),
      migrations: db.prepare('SELECT name FROM schema_migrations ORDER BY name').pluck().all(),
      pageSize: db.pragma('page_size', { simple: true }),
      journal: db.pragma('journal_mode', { simple: true }),
      userVersion: db.pragma('user_version', { simple: true }),
    };
  } finally {
    db.close();
  }
}

test("the build's template makes a store equal to one made in place, stamped with its own time", (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const template = defaultTemplate();
  assert.ok(template !== undefined && existsSync(template), 'npm run build made dist/store-template.sqlite');
  const inPlace = join(dir, 'a', 'store.sqlite');
  openStoreDb({ path: inPlace, template: false }).close();
  const before = Date.now() / 1000;
  const copied = join(dir, 'b', 'store.sqlite');
  const store = openStoreDb({ path: copied });
  store.close();
  assert.deepEqual(schemaOf(copied), schemaOf(inPlace));
  assert.equal(schemaOf(copied).journal, 'wal');
  const stamps = new Database(copied, { readonly: true }).prepare('SELECT applied_at FROM schema_migrations').pluck().all() as number[];
  assert.ok(stamps.length > 10 && stamps.every((s) => s >= before - 1), 'every migration says when this store got it');
  assert.deepEqual(
    readdirSync(join(dir, 'b')).filter((f) => f.endsWith('.tmp')),
    [],
    'no copy of its own left behind',
  );
});

test('a new store is copied from the template it is given; a store that exists is never replaced', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  // A template with a mark of its own: a store made from it has the mark.
  const marked = join(dir, 'marked.sqlite');
  openStoreDb({ path: marked, template: false }).close();
  const m = new Database(marked);
  m.exec('CREATE TABLE template_mark (x)');
  m.pragma('wal_checkpoint(TRUNCATE)');
  m.close();
  const path = join(dir, 'wandb', 'store.sqlite');
  const store = openStoreDb({ path, template: marked });
  store.db.exec("INSERT INTO template_mark VALUES ('mine')");
  store.close();
  assert.equal(new Database(path, { readonly: true }).prepare('SELECT x FROM template_mark').pluck().get(), 'mine');
  // The same place again, and a bare copy onto it: the store and its row stay.
  assert.equal(copyTemplate(marked, path), false);
  openStoreDb({ path, template: marked }).close();
  assert.equal(new Database(path, { readonly: true }).prepare('SELECT x FROM template_mark').pluck().get(), 'mine');
  assert.deepEqual(
    readdirSync(join(dir, 'wandb')).filter((f) => f.endsWith('.tmp')),
    [],
  );
});

test('a template that is not a WAL store of whole pages, or a WAL left at the place, makes the store in place', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const good = join(dir, 'good.sqlite');
  openStoreDb({ path: good, template: false }).close();
  const bytes = readFileSync(good);
  const rollback = Buffer.from(bytes);
  rollback[18] = 1;
  rollback[19] = 1;
  const bad: Record<string, Buffer> = {
    'not-sqlite': Buffer.from('hello, this is not a database'.repeat(40)),
    truncated: bytes.subarray(0, bytes.length - 100),
    'rollback-journal': rollback,
    empty: Buffer.alloc(0),
  };
  for (const [name, content] of Object.entries(bad)) {
    const template = join(dir, `${name}.sqlite`);
    writeFileSync(template, content);
    const path = join(dir, name, 'store.sqlite');
    assert.equal(copyTemplate(template, join(dir, `${name}-probe.sqlite`)), false, `${name}: not copied`);
    const store = openStoreDb({ path, template });
    store.close();
    assert.deepEqual(schemaOf(path).objects, schemaOf(good).objects, `${name}: made in place`);
  }
  assert.equal(copyTemplate(good, join(dir, 'good-probe.sqlite')), true, 'the good one is copied to the same folder');
  // A WAL without its database (a store deleted but for its side file) is not replayed onto a copy.
  const place = join(dir, 'orphan');
  openStoreDb({ path: join(place, 'seed.sqlite'), template: false }).close();
  writeFileSync(join(place, 'store.sqlite-wal'), 'left over');
  assert.equal(copyTemplate(good, join(place, 'store.sqlite')), false);
  assert.equal(existsSync(join(place, 'store.sqlite')), false);
});
