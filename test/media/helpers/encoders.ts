/**
 * Tiny encoders for test fixtures, written from the format specifications: PNG, BMP, GIF, baseline
 * JPEG, WAV, MP3 frames, FLAC STREAMINFO, Ogg (Vorbis, Opus, Theora), MP4 boxes, WebM (EBML).
 * The images and WAV decode in ordinary viewers; the others carry valid headers and framing with
 * silent/empty payloads, which is what the header parsers read. One module per format family; this
 * file gathers them so that `import * as enc` callers see one namespace.
 */
export { bmp, gif, jpeg, png } from './image-encoders.js';
export { flac, mp3, wav } from './audio-encoders.js';
export { oggOpus, oggTheora, oggVorbis } from './ogg-encoders.js';
export { mp4, webm } from './video-encoders.js';
