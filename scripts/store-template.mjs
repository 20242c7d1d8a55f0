// Makes dist/store-template.sqlite, the empty store every new store starts as a copy of (see
// src/store/template.ts): every migration applied in place, WAL mode, checkpointed into the file and
// vacuumed, so it is one file of whole pages whose header says WAL.
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStoreDb } from '../dist/src/store/db.js';
import { TEMPLATE_FILE } from '../dist/src/store/template.js';

const dir = mkdtempSync(join(tmpdir(), 'store-template-'));
try {
  const path = join(dir, 'store.sqlite');
  const store = openStoreDb({ path, template: false });
  store.db.exec('VACUUM');
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  if (store.db.pragma('journal_mode', { simple: true }) !== 'wal') throw new Error('the template is not in WAL mode');
  store.close();
  const bytes = readFileSync(path);
  if (bytes[18] !== 2 || bytes[19] !== 2) throw new Error('the template header does not say WAL');
  const out = join('dist', TEMPLATE_FILE);
  writeFileSync(`${out}.tmp`, bytes);
  renameSync(`${out}.tmp`, out);
  console.log(`${out}: ${bytes.length} bytes`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
