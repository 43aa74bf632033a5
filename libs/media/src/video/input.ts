import { resolve } from 'node:path';
import { MediaError, MediaInputError } from '../errors';
import { VideoToolError, type VideoTool } from './errors';
import type { RunResult } from './run-tool';

/**
 * Demuxers ffmpeg / ffprobe may use on an upload: the ISO-BMFF family, which is every video
 * type the upload policy accepts (`video/mp4`, `video/quicktime`, `video/3gpp`, `video/3gpp2`,
 * `video/x-m4v`). Passed as
 * `-format_whitelist`, so a file that only claims to be MP4 cannot reach ffmpeg's other
 * ~300 demuxers (HLS playlists that fetch further URLs or local files are the classic abuse).
 */
export const ACCEPTED_DEMUXERS = 'mov,mp4,m4a,3gp,3g2,mj2';

/** How long an HTTP(S) read may stall before ffmpeg gives up on it, in microseconds. */
const HTTP_STALL_MICROSECONDS = 15_000_000;

/** An input ready for the command line. */
export interface PreparedInput {
  /** Input options, to go right before `-i`. */
  readonly options: string[];
  /** What follows `-i`: an absolute path or the URL unchanged. */
  readonly input: string;
  /** How messages name the input: the path, or the URL without its query (credentials). */
  readonly label: string;
}

/**
 * Checks a source and builds its input options. A local path is made absolute (so a name
 * starting with `-` or containing `:` cannot be read as an option or a protocol). An `http(s)`
 * URL, such as an S3 presigned URL, may only use the web protocols; a local file only `file`:
 * `-protocol_whitelist` applies to everything the demuxer opens on the input's behalf.
 *
 * @throws {MediaError} for any other URL scheme (`s3://`, `file:`, `data:`...): a caller bug.
 */
export function prepareInput(source: string): PreparedInput {
  if (source === '')
    throw new MediaError('The video source is empty: pass a file path or an http(s) URL.');
  const common = ['-format_whitelist', ACCEPTED_DEMUXERS];
  if (/^https?:\/\//i.test(source)) {
    return {
      options: [
        '-protocol_whitelist',
        'http,https,tcp,tls',
        '-rw_timeout',
        String(HTTP_STALL_MICROSECONDS),
        ...common,
      ],
      input: source,
      label: withoutQuery(source),
    };
  }
  const scheme = /^([a-z][a-z0-9+.-]+):/i.exec(source);
  if (scheme !== null) {
    throw new MediaError(
      `The video source uses the ${scheme[1]}: scheme; only a local file path or an http(s) URL is accepted. For S3, pass a presigned GET URL.`,
    );
  }
  const path = resolve(source);
  return { options: ['-protocol_whitelist', 'file', ...common], input: path, label: path };
}

/** Every URL in `text` without its query and fragment, where presigned URLs keep credentials. */
export function redactUrls(text: string): string {
  // Lazy, and stopping before a final `:`: ffmpeg writes `<url>: <error>`.
  return text.replace(/(https?:\/\/[^\s?#'"]*)[?#][^\s'"]*?(?=:?(?:[\s'"]|$))/gim, '$1?…');
}

function withoutQuery(url: string): string {
  return redactUrls(url).replace(/\?…$/, '');
}

/** stderr as lines: trimmed, non-empty, URLs redacted, `[mov,mp4 @ 0x55d…]` addresses removed. */
export function stderrLines(stderr: string): string[] {
  return redactUrls(stderr)
    .split(/\r?\n/)
    .map((line) => line.replace(/ @ 0x[0-9a-f]+\]/gi, ']').trim())
    .filter((line) => line !== '');
}

/**
 * The input could not be READ (as opposed to read and found broken): local I/O, HTTP status,
 * network. These are faults to retry or fix, never reasons to quarantine the upload.
 * Texts are FFmpeg's `av_strerror` / strerror messages, stable across versions.
 */
const UNREADABLE = [
  /No such file or directory/,
  /Permission denied/,
  /Server returned/, // every HTTP 4xx / 5xx, e.g. 403 of an expired presigned URL
  /Connection (refused|reset|timed out)/,
  /Failed to resolve hostname/,
  /Network is unreachable/,
  /Input\/output error/,
  /Operation timed out/,
];

/** The content is not a video this platform handles (no video stream, other format). */
const UNSUPPORTED = [
  /matches no streams/, // ffmpeg: -map 0:v:0 on a file without video
  /does not contain any stream/,
  /Format not on whitelist/, // the bytes are not MP4 / QuickTime after all
  /Protocol '[^']*' not on whitelist/, // the file tries to open other files or URLs
];

/** The content was read and is broken. FFmpeg's texts for unreadable or inconsistent data. */
const CORRUPT = [
  /Invalid data found when processing input/,
  /moov atom not found/,
  /[Cc]ould not find codec parameters/,
  /error reading header/,
  /End of file/,
  /Invalid NAL unit/,
  /Error while decoding/,
  /decode_slice_header error/,
  /no frame!/,
  /corrupt/i,
  /[Tt]runcat/,
];

/**
 * Turns a failed run (non-zero exit) into the error the flow should see:
 * - {@link VideoToolError} `INPUT_UNREADABLE` when the input could not be read (retry / fix);
 * - {@link MediaInputError} `UNSUPPORTED_VIDEO` when it holds no video stream we can use;
 * - {@link MediaInputError} `CORRUPT_VIDEO` when FFmpeg says the data is invalid;
 * - {@link VideoToolError} `FAILED` for anything else (a wrong binary, an unknown option...),
 *   so that our own misconfiguration never quarantines a good upload.
 *
 * The message quotes the tool's first error line, with URL credentials removed.
 */
export function failureError(
  tool: VideoTool,
  prepared: PreparedInput,
  result: RunResult,
): MediaInputError | VideoToolError {
  const lines = stderrLines(result.stderr);
  const stderr = lines.slice(0, 20).join('\n');
  // Lines are read without the input's own name: a missing file called `corrupt.mp4` must not
  // read as corrupt, and `<input>: <error>` is quoted as `<error>` (the message names the input).
  const bare = (line: string) =>
    [prepared.input, `${prepared.label}?…`, prepared.label]
      .reduce((text, name) => text.split(`${name}: `).join('').split(name).join(''), line)
      .trim();
  const matching = (patterns: readonly RegExp[]) =>
    lines.map(bare).find((line) => patterns.some((p) => p.test(line)));
  const first = lines.length > 0 ? bare(lines[0]) : `(no message, exit code ${result.code})`;

  const unreadable = matching(UNREADABLE);
  if (unreadable !== undefined) {
    return new VideoToolError(
      tool,
      'INPUT_UNREADABLE',
      `${tool} could not read ${prepared.label}: ${unreadable}. Check that the object exists and the URL has not expired.`,
      { stderr },
    );
  }
  const unsupported = matching(UNSUPPORTED);
  if (unsupported !== undefined) {
    return new MediaInputError(
      'UNSUPPORTED_VIDEO',
      `${prepared.label} is not a video this platform can process (${tool}: ${unsupported}).`,
    );
  }
  if (matching(CORRUPT) !== undefined) {
    return new MediaInputError(
      'CORRUPT_VIDEO',
      `${prepared.label} is not a readable video (${tool}: ${first}).`,
    );
  }
  return new VideoToolError(
    tool,
    'FAILED',
    `${tool} exited with code ${result.code} on ${prepared.label}: ${first}. This does not look like a problem with the file; check the ${tool} binary and arguments.`,
    { stderr },
  );
}
