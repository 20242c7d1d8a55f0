/** The two error shapes the media encoder throws, both naming the offending input field. */
import { SkillError, invalidInput } from '../errors.js';

/** INVALID_INPUT naming `path` (e.g. `logData.metrics.img.path`). */
export function mediaInvalid(path: string, message: string, cause?: unknown): SkillError {
  const err = invalidInput(path, message);
  if (cause === undefined) return err;
  return new SkillError(err.code, err.message, { details: err.details ?? {}, cause });
}

/** PAYLOAD_TOO_LARGE for a media input over `maxFileBytes`. */
export function mediaTooLarge(path: string, size: number, max: number): SkillError {
  const message = `media input is ${size} bytes, over the limit of ${max}`;
  return new SkillError('PAYLOAD_TOO_LARGE', `${path}: ${message}`, {
    details: { issues: [{ path, message }], size, maxFileBytes: max },
  });
}
