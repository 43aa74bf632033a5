/**
 * Video processing for the media flow's `ProcessVideo` branch: probe (ffprobe → `probe.json`),
 * poster (one JPEG frame) and the 720p rendition (one definition, rendered by MediaConvert in
 * AWS and by ffmpeg in the sandbox). See `README.md` beside this file.
 */
export {
  binaryPackageName,
  resolveFfmpeg,
  resolveFfprobe,
  type ResolveBinaryOptions,
} from './binaries';
export {
  VideoBinaryNotFoundError,
  VideoToolError,
  type VideoTool,
  type VideoToolFailure,
} from './errors';
export { ACCEPTED_DEMUXERS } from './input';
export {
  containerName,
  PROBE_DEFAULTS,
  probeVideo,
  videoProbeFromFfprobe,
  type ProbeOptions,
} from './probe';
export {
  createPoster,
  extractPoster,
  POSTER_DEFAULTS,
  POSTER_JPEG_QUALITY,
  posterTimeSeconds,
  readVideoDuration,
  type Poster,
  type PosterOptions,
} from './poster';
export {
  ffmpegRenditionArgs,
  mediaConvertJobSettings,
  RENDER_DEFAULTS,
  renderRendition,
  RENDITION_720P,
  RENDITION_ENCODER_THREADS,
  renditionDestination,
  renditionKey,
  type FfmpegRenditionTarget,
  type MediaConvertJobSettings,
  type MediaConvertTarget,
  type RenderOptions,
  type RenditionSpec,
} from './rendition';
