/**
 * The W&B client: HTTP with retries, GraphQL operations, the file stream, uploads, config encoding,
 * credentials and URLs. Every function takes its dependencies as arguments; nothing here is global.
 */
export * from './http.js';
export * from './graphql.js';
export * from './operations.js';
export * from './config-encoding.js';
export * from './file-stream.js';
export * from './uploads.js';
export * from './credentials.js';
export * from './urls.js';
export { createRedactor, redactDeep, safeUrl, type Redactor } from './redact.js';
