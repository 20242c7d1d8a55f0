/**
 * Every GraphQL document the client sends. Each one validates against `shared/wandb/schema.graphql`
 * (checked by test/wandb/documents.test.ts); names and variables follow W&B's own operations
 * (PROTOCOL.md §§1.7, 2, 4, 5, 6, 7, 8) so server logs read the same.
 */

export const SERVER_FEATURES_QUERY = `query ServerFeaturesQuery {
  serverInfo { features { name isEnabled } }
}`;

export const VIEWER_QUERY = `query Viewer {
  viewer { id entity username email flags teams { edges { node { name } } } }
}`;

export const RUN_RESUME_STATUS_QUERY = `query RunResumeStatus($project: String, $entity: String, $name: String!) {
  model(name: $project, entityName: $entity) {
    id
    name
    entity { id name }
    bucket(name: $name, missingOk: true) {
      id name summaryMetrics displayName logLineCount historyLineCount eventsLineCount
      historyTail eventsTail config tags notes state sweepName
      wandbConfig(keys: ["t"])
    }
  }
}`;

export const UPSERT_BUCKET_MUTATION = `mutation UpsertBucket($id: String, $name: String, $project: String, $entity: String,
  $groupName: String, $description: String, $displayName: String, $notes: String, $commit: String,
  $config: JSONString, $host: String, $debug: Boolean, $program: String, $repo: String, $jobType: String,
  $state: String, $sweep: String, $tags: [String!], $summaryMetrics: JSONString) {
  upsertBucket(input: { id: $id, name: $name, groupName: $groupName, modelName: $project, entityName: $entity,
    description: $description, displayName: $displayName, notes: $notes, config: $config, commit: $commit,
    host: $host, debug: $debug, jobProgram: $program, jobRepo: $repo, jobType: $jobType, state: $state,
    sweep: $sweep, tags: $tags, summaryMetrics: $summaryMetrics }) {
    bucket {
      id name displayName description config sweepName historyLineCount
      project { id name entity { id name } }
    }
    inserted
  }
}`;

export const CREATE_RUN_FILES_MUTATION = `mutation CreateRunFiles($entity: String!, $project: String!, $run: String!, $files: [String!]!) {
  createRunFiles(input: { entityName: $entity, projectName: $project, runName: $run, files: $files }) {
    runID
    uploadHeaders
    files { name uploadUrl }
  }
}`;

export const NOTIFY_SCRIPTABLE_RUN_ALERT_MUTATION = `mutation NotifyScriptableRunAlert($entityName: String!, $projectName: String!,
  $runName: String!, $title: String!, $text: String!, $severity: AlertSeverity = INFO, $waitDuration: Duration) {
  notifyScriptableRunAlert(input: { entityName: $entityName, projectName: $projectName, runName: $runName,
    title: $title, text: $text, severity: $severity, waitDuration: $waitDuration }) {
    success
  }
}`;

export const STOP_RUN_MUTATION = `mutation StopRun($id: ID!) {
  stopRun(input: { id: $id }) { success }
}`;

export const UPSERT_SWEEP_MUTATION = `mutation UpsertSweep($id: ID, $config: String, $description: String, $entityName: String,
  $projectName: String, $controller: JSONString, $scheduler: JSONString, $state: String,
  $priorRunsFilters: JSONString, $displayName: String) {
  upsertSweep(input: { id: $id, config: $config, description: $description, entityName: $entityName,
    projectName: $projectName, controller: $controller, scheduler: $scheduler, state: $state,
    priorRunsFilters: $priorRunsFilters, displayName: $displayName }) {
    sweep { id name state project { id name entity { id name } } }
    configValidationWarnings
  }
}`;

export const SWEEP_STATE_QUERY = `query GetSweepState($entity: String, $project: String, $sweep: String!) {
  project(name: $project, entityName: $entity) {
    sweep(sweepName: $sweep) { id name state config controller scheduler runCount }
  }
}`;

export const CREATE_AGENT_MUTATION = `mutation CreateAgent($host: String!, $projectName: String, $entityName: String, $sweep: String!) {
  createAgent(input: { host: $host, projectName: $projectName, entityName: $entityName, sweep: $sweep }) {
    agent { id }
  }
}`;

export const AGENT_HEARTBEAT_MUTATION = `mutation Heartbeat($id: ID!, $metrics: JSONString, $runState: JSONString) {
  agentHeartbeat(input: { id: $id, metrics: $metrics, runState: $runState }) {
    agent { id }
    commands
  }
}`;

export const CREATE_ARTIFACT_MUTATION = `mutation CreateArtifact($input: CreateArtifactInput!) {
  createArtifact(input: $input) {
    artifact {
      id digest state versionIndex
      artifactSequence { id name latestArtifact { id versionIndex } }
    }
  }
}`;

export const CREATE_ARTIFACT_MANIFEST_MUTATION = `mutation CreateArtifactManifest($artifactID: ID!, $baseArtifactID: ID,
  $name: String!, $digest: String!, $entityName: String!, $projectName: String!, $runName: String!,
  $type: ArtifactManifestType!, $includeUpload: Boolean!) {
  createArtifactManifest(input: { artifactID: $artifactID, baseArtifactID: $baseArtifactID, name: $name,
    digest: $digest, entityName: $entityName, projectName: $projectName, runName: $runName, type: $type }) {
    artifactManifest {
      id
      file { id uploadUrl @include(if: $includeUpload) uploadHeaders @include(if: $includeUpload) }
    }
  }
}`;

export const CREATE_ARTIFACT_FILES_MUTATION = `mutation CreateArtifactFiles($artifactFiles: [CreateArtifactFileSpecInput!]!,
  $storageLayout: ArtifactStorageLayout!) {
  createArtifactFiles(input: { artifactFiles: $artifactFiles, storageLayout: $storageLayout }) {
    files {
      edges {
        node {
          storagePath uploadUrl uploadHeaders
          uploadMultipartUrls { uploadID uploadUrlParts { partNumber uploadUrl } }
          artifact { id }
        }
      }
    }
  }
}`;

export const COMMIT_ARTIFACT_MUTATION = `mutation CommitArtifact($artifactID: ID!) {
  commitArtifact(input: { artifactID: $artifactID }) {
    artifact { id digest state versionIndex }
  }
}`;

export const USE_ARTIFACT_MUTATION = `mutation UseArtifact($input: UseArtifactInput!) {
  useArtifact(input: $input) { artifact { id } }
}`;

export const LINK_ARTIFACT_MUTATION = `mutation LinkArtifact($artifactPortfolioName: String!, $entityName: String!,
  $projectName: String!, $aliases: [ArtifactAliasInput!], $clientId: ID, $artifactId: ID) {
  linkArtifact(input: { artifactPortfolioName: $artifactPortfolioName, entityName: $entityName,
    projectName: $projectName, aliases: $aliases, artifactID: $artifactId, clientID: $clientId }) {
    versionIndex
  }
}`;

export const ARTIFACT_BY_NAME_QUERY = `query ArtifactByName($entityName: String!, $projectName: String!, $name: String!) {
  project(name: $projectName, entityName: $entityName) {
    artifact(name: $name) {
      id digest state versionIndex description metadata
      aliases { alias artifactCollectionName }
      artifactType { name }
      artifactSequence { name }
      currentManifest { id file { directUrl } }
    }
  }
}`;

export const UPSERT_MODEL_MUTATION = `mutation UpsertModel($name: String!, $entityName: String) {
  upsertModel(input: { name: $name, entityName: $entityName }) {
    project { id name entityName }
    inserted
  }
}`;

export const UPSERT_VIEW_MUTATION = `mutation upsertView($id: ID, $entityName: String, $projectName: String, $type: String,
  $name: String, $displayName: String, $description: String, $spec: String!) {
  upsertView(input: { id: $id, entityName: $entityName, projectName: $projectName, name: $name,
    displayName: $displayName, description: $description, type: $type, createdUsing: WANDB_SDK, spec: $spec }) {
    view { id type name displayName description project { id name entityName } spec updatedAt }
    inserted
  }
}`;

/** A view-only share link for a report (PROTOCOL.md 8): the token goes into `?accessToken=`. */
export const CREATE_ACCESS_TOKEN_MUTATION = `mutation CreateAccessToken($viewId: ID!, $projects: [ProjectSpecifier!]!) {
  createAccessToken(input: { viewId: $viewId, projects: $projects }) {
    accessToken { id token type }
  }
}`;

/** A project's runs, one page (W&B's public API `api.runs`: filters and order as the server takes them). */
export const PROJECT_RUNS_QUERY = `query ProjectRuns($project: String!, $entity: String!, $first: Int, $after: String, $order: String, $filters: JSONString) {
  project(name: $project, entityName: $entity) {
    runs(first: $first, after: $after, order: $order, filters: $filters) {
      totalCount
      edges { cursor node { id name displayName state config summaryMetrics tags group jobType host notes sweepName createdAt heartbeatAt historyLineCount user { username } } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

/** All documents, for the validation test and for servers that want to check them. */
export const ALL_DOCUMENTS: Readonly<Record<string, string>> = {
  SERVER_FEATURES_QUERY,
  VIEWER_QUERY,
  RUN_RESUME_STATUS_QUERY,
  UPSERT_BUCKET_MUTATION,
  CREATE_RUN_FILES_MUTATION,
  NOTIFY_SCRIPTABLE_RUN_ALERT_MUTATION,
  STOP_RUN_MUTATION,
  UPSERT_SWEEP_MUTATION,
  SWEEP_STATE_QUERY,
  CREATE_AGENT_MUTATION,
  AGENT_HEARTBEAT_MUTATION,
  CREATE_ARTIFACT_MUTATION,
  CREATE_ARTIFACT_MANIFEST_MUTATION,
  CREATE_ARTIFACT_FILES_MUTATION,
  COMMIT_ARTIFACT_MUTATION,
  USE_ARTIFACT_MUTATION,
  LINK_ARTIFACT_MUTATION,
  ARTIFACT_BY_NAME_QUERY,
  UPSERT_MODEL_MUTATION,
  UPSERT_VIEW_MUTATION,
  CREATE_ACCESS_TOKEN_MUTATION,
  PROJECT_RUNS_QUERY,
};
