/** Artifact formats (names, manifest, digests) and the on-disk content store; no database here. */
export * from './naming.js';
export * from './digest.js';
export { assertEntryPath } from './entry-path.js';
export { walkFiles, collectFiles } from './walk.js';
export type { WalkOptions, WalkEntry, CollectOptions, CollectProgress, CollectedFile } from './walk.js';
export { createContentStore, contentStoreOf, contentStoreRoot } from './cas.js';
export { commitVersion, type VersionCommit, type CommittedVersion } from './commit-version.js';
export type { ContentStore, ContentStoreOptions, StoredContent, MaterializeOptions, MaterializeResult } from './cas.js';
export { createReferenceEntries, REFERENCE_SCHEMES } from './references.js';
export type { ReferenceOptions } from './references.js';
