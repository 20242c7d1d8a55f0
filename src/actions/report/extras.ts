/**
 * What a report shows beside history, read through the store from tables other features own
 * (artifacts; the sweep's in sweep-section.ts).
 */
import type { ReportArtifact } from '../../report/index.js';
import type { Store } from '../../store/index.js';

export interface ArtifactReader {
  (runKey: number): { logged: ReportArtifact[]; used: ReportArtifact[] } | undefined;
}

/** Artifacts each run made (`output`) and used (`input`), from the artifacts feature's tables. */
export function artifactReader(store: Store): ArtifactReader {
  return (runKey) => {
    const rows = store.artifactViews.ofRun(runKey);
    if (rows.length === 0) return undefined;
    const out = { logged: [] as ReportArtifact[], used: [] as ReportArtifact[] };
    for (const r of rows) {
      const a: ReportArtifact = { name: r.name, type: r.type, version: `v${r.versionIndex}`, digest: r.digest, size: r.size };
      a.aliases = store.artifacts.aliasesOf(r.versionKey);
      (r.direction === 'output' ? out.logged : out.used).push(a);
    }
    return out;
  };
}

/** A guess at a metric's direction from its name (report/extract.ts), used only when nothing says otherwise. */
