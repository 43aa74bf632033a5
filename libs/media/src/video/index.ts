/**
 * Video processing for the media flow's `ProcessVideo` branch: probe (ffprobe → `probe.json`),
 * poster (one JPEG frame). The 720p rendition has no code here: MediaConvert renders it from
 * the settings in `libs/flows/media.asl.json` (the sandbox maps the same settings to ffmpeg), and
 * its key is `renditionKey` in `../keys.ts`. See `README.md` beside this file.
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
  NoFrameError,
  POSTER_DEFAULTS,
  POSTER_JPEG_QUALITY,
  posterTimeLadder,
  posterTimeSeconds,
  readVideoDuration,
  type Poster,
  type PosterOptions,
} from './poster';
// The ffmpeg plumbing the video steps share; the sandbox's MediaConvert stand-in runs ffmpeg with it.
export { failureError, prepareInput, type PreparedInput } from './input';
export { runTool, type RunLimits, type RunResult } from './run-tool';
