// The claim itself lives in the sweep run state machine; the handlers' online glue names it here.
export { notRunningReason, type Claim } from '../../sweep-runs/index.js';
