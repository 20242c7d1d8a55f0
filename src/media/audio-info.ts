/**
 * Audio format, sample rate, duration and channels (WAV, MP3, FLAC, Ogg) through `music-metadata`.
 * A file is parsed through the library's file tokenizer, which reads and seeks in small pieces
 * (flat memory however long the recording); bytes from a `data` input are already in memory.
 * The library loads on the first audio input, not with this module.
 */
import { createRequire } from 'node:module';

type MusicMetadata = typeof import('music-metadata');

export type AudioFormat = 'wav' | 'mp3' | 'flac' | 'ogg';

export interface AudioInfo {
  format: AudioFormat;
  sampleRate: number;
  /** Seconds. */
  duration: number;
  channels?: number;
}

/** music-metadata's container names for the formats W&B's Audio accepts (any MPEG layer is "mp3"). */
const FORMATS: Record<string, AudioFormat> = { WAVE: 'wav', MPEG: 'mp3', FLAC: 'flac', Ogg: 'ogg' };

// Covers are never needed; `duration` makes the library count frames when the header does not say.
const OPTIONS = { duration: true, skipCovers: true } as const;

/**
 * music-metadata is ESM-only. It is required (Node >= 20.19 loads ES modules through require)
 * because the bundled CLI runs from a V8 code cache, where `import()` has no loader callback; a
 * Node that cannot require it gets a dynamic import instead.
 */
async function loadMusicMetadata(): Promise<MusicMetadata> {
  try {
    return createRequire(import.meta.url)('music-metadata') as MusicMetadata;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ERR_REQUIRE_ESM' && code !== 'ERR_REQUIRE_ASYNC_MODULE') throw err;
    return import('music-metadata');
  }
}

/**
 * Format and timing of the audio in `input` (a file path or the bytes); undefined when it is not a
 * WAV, MP3, FLAC or Ogg recording whose sample rate and duration can be read — foreign or truncated
 * data, or a file whose content does not match its extension (the library picks its parser by a
 * known extension, by content otherwise).
 * @example
 * await readAudioInfo('tone.wav'); // { format: 'wav', sampleRate: 16000, duration: 0.5, channels: 1 }
 */
export async function readAudioInfo(input: string | Uint8Array): Promise<AudioInfo | undefined> {
  const mm = await loadMusicMetadata();
  let format: Awaited<ReturnType<typeof mm.parseFile>>['format'];
  try {
    const parsed = typeof input === 'string' ? await mm.parseFile(input, OPTIONS) : await mm.parseBuffer(input, undefined, OPTIONS);
    format = parsed.format;
  } catch {
    return undefined; // not audio the library knows, or a malformed header
  }
  const kind = format.container === undefined ? undefined : FORMATS[format.container];
  const { sampleRate, duration, numberOfChannels } = format;
  if (kind === undefined || sampleRate === undefined || duration === undefined) return undefined;
  if (!(Number.isFinite(sampleRate) && sampleRate > 0 && Number.isFinite(duration) && duration >= 0)) return undefined;
  const info: AudioInfo = { format: kind, sampleRate, duration };
  if (numberOfChannels !== undefined && numberOfChannels > 0) info.channels = numberOfChannels;
  return info;
}
