/** The two error shapes the media encoder throws, both naming the offending input field. */
import { SkillError, invalidInput } from '../errors.js';

/** INVALID_INPUT naming `path` (e.g. `logData.metrics.img.path`). */
export function mediaInvalid(path: string, message: string, cause?: unknown): SkillError {
  const err = invalidInput(path, message);
  if (cause === undefined) return err;
  return new SkillError(err.code, err.message, { details: err.details ?? {}, cause });
}

/** PAYLOAD_TOO_LARGE for a table with more rows than a run keeps. */
export function tableTooLong(path: string, rows: number, max: number): SkillError {
  const message = `the table has ${rows} rows; a table logged to a run holds at most ${max} (W&B's Table.MAX_ROWS): log fewer rows, or add "truncate": true to keep the first ${max} as W&B does`;
  return new SkillError('PAYLOAD_TOO_LARGE', `${path}: ${message}`, { details: { issues: [{ path, message }], rows, maxRows: max } });
}

/** PAYLOAD_TOO_LARGE for a media input over `maxFileBytes`. */
export function mediaTooLarge(path: string, size: number, max: number): SkillError {
  const message = `media input is ${size} bytes, over the limit of ${max}`;
  return new SkillError('PAYLOAD_TOO_LARGE', `${path}: ${message}`, {
    details: { issues: [{ path, message }], size, maxFileBytes: max },
  });
}
