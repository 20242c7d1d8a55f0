/**
 * The leaves of the test server's GraphQL views: connections, entities, the viewer and files, which
 * point at no other object of the graph (wandb-server-views.ts holds the runs, projects, sweeps and
 * artifacts that point at each other).
 */
import type { ServerState } from './wandb-server-state.js';
import { nodeId } from './wandb-server-state.js';

export interface ViewContext {
  state: ServerState;
  /** A signed URL for downloads of stored bytes. */
  downloadUrl(storagePath: string): string;
}

/** A GraphQL object as graphql-js's default resolver reads it. */
export type Obj = Record<string, unknown>;

const pageInfo = { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null };

export function connection<T>(nodes: T[]): Obj {
  return { edges: nodes.map((node, i) => ({ cursor: String(i), node })), pageInfo, totalCount: nodes.length };
}

/** A connection page as W&B's server pages it: `first` items after the cursor `after` (an index here), with pageInfo to go on. */
export function pagedConnection<T>(nodes: T[], args: { first?: number | null; after?: string | null }): Obj {
  const from = args.after === null || args.after === undefined ? 0 : Number(args.after) + 1;
  const page = nodes.slice(from, args.first === null || args.first === undefined ? undefined : from + args.first);
  const last = from + page.length - 1;
  return {
    edges: page.map((node, i) => ({ cursor: String(from + i), node })),
    pageInfo: {
      hasNextPage: last < nodes.length - 1,
      hasPreviousPage: from > 0,
      startCursor: page.length > 0 ? String(from) : null,
      endCursor: page.length > 0 ? String(last) : null,
    },
    totalCount: nodes.length,
  };
}

export function entityView(name: string): Obj {
  return {
    __typename: 'Entity',
    id: nodeId('Entity', name),
    name,
    isTeam: false,
    organization: null,
    createdAt: new Date(0).toISOString(),
    codeSavingEnabled: false,
    defaultAccess: 'PRIVATE',
    memberCount: 1,
    members: [],
    privateOnly: false,
    photoUploadUrl: '',
    readOnlyAdmin: false,
    uploadHeaders: [],
    accessTokens: [],
    defaultAlerts: [],
    protectedAliases: [],
    tagCategories: [],
    storageBytes: 0,
    referenceBytes: 0,
    computeHours: 0,
  };
}

export function viewerView(state: ServerState): Obj {
  const v = state.viewer;
  return {
    __typename: 'User',
    id: v.id,
    entity: v.entity,
    username: v.username,
    name: v.username,
    email: v.email,
    flags: '{}',
    admin: false,
    createdAt: new Date(0).toISOString(),
    emails: [],
    hideTeamsFromPublic: false,
    organizations: [],
    photoUploadUrl: '',
    private: false,
    signupRequired: false,
    totalRuns: state.runs.size,
    uploadHeaders: [],
    teams: { edges: v.teams.map((t, i) => ({ cursor: String(i), node: entityView(t) })) },
    defaultEntity: entityView(v.entity),
    userEntity: entityView(v.entity),
  };
}

export function fileView(ctx: ViewContext, storagePath: string, name: string, data: Buffer | null, extra: Obj = {}): Obj {
  return {
    __typename: 'File',
    id: nodeId('File', storagePath),
    name,
    displayName: name,
    directUrl: ctx.downloadUrl(storagePath),
    url: () => ctx.downloadUrl(storagePath),
    exists: data !== null,
    isReference: false,
    sizeBytes: data?.length ?? 0,
    storagePath,
    uploadHeaders: [],
    uploadUrl: null,
    ...extra,
  };
}
