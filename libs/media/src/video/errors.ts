import { MediaError } from '../errors';

/** The two programs this module runs. */
export type VideoTool = 'ffmpeg' | 'ffprobe';

/**
 * No usable ffmpeg or ffprobe binary: neither the environment variable nor the npm package for
 * this machine's architecture gives an executable file. This is a packaging or configuration
 * fault, never the upload's: retrying will not help, fixing the Lambda's package or
 * environment will. The message names the variable and the package to fix.
 */
export class VideoBinaryNotFoundError extends MediaError {
  /** Which program was looked for. */
  readonly tool: VideoTool;
  /** The environment variable that overrides the lookup, for example `FFMPEG_PATH`. */
  readonly variable: string;
  /** The npm package that was looked for, for example `@ffmpeg-installer/linux-arm64`. */
  readonly packageName: string;

  constructor(
    tool: VideoTool,
    variable: string,
    packageName: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VideoBinaryNotFoundError';
    this.tool = tool;
    this.variable = variable;
    this.packageName = packageName;
  }
}

/** Why a run of ffmpeg or ffprobe failed without the input being at fault. */
export type VideoToolFailure =
  /** It ran longer than the configured timeout and was killed. */
  | 'TIMEOUT'
  /** It wrote more to stdout than the configured limit and was killed. */
  | 'OUTPUT_LIMIT'
  /** The input could not be read: missing file, HTTP error, network failure. */
  | 'INPUT_UNREADABLE'
  /** The process could not be started, or exited in a way the input does not explain. */
  | 'FAILED';

/**
 * ffmpeg or ffprobe failed for a reason that is not the upload's content: a timeout, an expired
 * presigned URL, a network error, a crash. Unlike {@link MediaInputError} this is not a
 * rejection; the flow's Retry / Catch for faults applies. `stderr` holds the tool's own words
 * (presigned URL queries removed, see README "Security").
 */
export class VideoToolError extends MediaError {
  readonly tool: VideoTool;
  readonly failure: VideoToolFailure;
  /** The first lines the tool wrote to stderr, with URL credentials removed. */
  readonly stderr: string;

  constructor(
    tool: VideoTool,
    failure: VideoToolFailure,
    message: string,
    options?: { cause?: unknown; stderr?: string },
  ) {
    super(message, options);
    this.name = 'VideoToolError';
    this.tool = tool;
    this.failure = failure;
    this.stderr = options?.stderr ?? '';
  }
}
