import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { storeContract } from './contract.js';

// The embedded SQLite store, each test on a new file in its own temporary folder.
storeContract('sqlite', {
  open: () => openStore({ path: join(mkdtempSync(join(tmpdir(), 'store-contract-')), 'store.sqlite') }),
  cleanup: (store) => rmSync(dirname(store.path), { recursive: true, force: true }),
});
