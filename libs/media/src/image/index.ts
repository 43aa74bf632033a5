/**
 * Image processing for the media flow's `Thumbnails` and `Metadata` Tasks: thumbnails with
 * sharp (orientation applied, metadata stripped, never upscaled, bombs refused before decoding)
 * and metadata from the header and EXIF (capture time as recorded, independent of time zones).
 * Unusable input raises `MediaInputError`, which the flow quarantines.
 */
export {
  generateThumbnails,
  JPEG_OPTIONS,
  THUMBNAIL_LONG_EDGES,
  WEBP_OPTIONS,
  type Thumbnail,
  type ThumbnailFormat,
  type ThumbnailOptions,
} from './thumbnails';
export { extractImageMetadata, type ImageMetadataOptions } from './metadata';
export { DEFAULT_MAX_PIXELS } from './input';
export { ALTITUDE_DECIMALS, GPS_DECIMALS } from './exif';
