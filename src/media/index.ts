/** Media values in logged metrics -> W&B media files and descriptor objects. */
export { encodeMetrics, encodeMetricsSync, isMediaInput, MEDIA_INPUT_TYPES, IMAGE_LIST_MAX } from './encode.js';
export type { MediaInputType } from './encode.js';
export type { EncodeResult, MediaContext, MediaFile, MediaKind } from './types.js';
export { encodeHistogram, histogramFromSequence, HISTOGRAM_DEFAULT_BINS, HISTOGRAM_MAX_BINS } from './histogram.js';
export type { HistogramDescriptor } from './histogram.js';
export { TABLE_MAX_ROWS, jsonWithNonFinite } from './table.js';
export { sniffImage } from './image-header.js';
export type { ImageFormat, ImageInfo } from './image-header.js';
export { sniffAudio } from './audio-header.js';
export type { AudioFormat, AudioInfo } from './audio-header.js';
export { sniffVideo } from './video-header.js';
export type { VideoFormat, VideoInfo } from './video-header.js';
export { createBufferReader, withFileReader } from './byte-reader.js';
export type { ByteReader } from './byte-reader.js';
