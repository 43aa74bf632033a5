/**
 * `npm run media:inspect -- <file>...`: prints what the media flow would produce for local
 * files, through the flow's own code (`inspectMedia` in `inspect-media.ts`, built from `@slipway/media`: `Validate`'s decision,
 * then the `Metadata` and `Thumbnails` steps for an image or the `Probe` step for a video). The JSON printed for an
 * accepted file is byte for byte the `metadata.json` / `probe.json` the Lambda would store.
 *
 * The same environment variables as the Lambdas apply: `MAX_IMAGE_BYTES`, `MAX_VIDEO_BYTES`,
 * `ALLOWED_MIME_TYPES` (Validate) and `MAX_INPUT_PIXELS` (Metadata).
 *
 * Exit codes: 0 every file accepted and described; 1 a file was rejected or could not be
 * decoded (the reason is printed, as the flow would quarantine it); 2 usage or unreadable file.
 */
import { readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { positiveIntEnv } from '@slipway/aws';
import {
  DEFAULT_MAX_PIXELS,
  derivedJson,
  MediaInputError,
  parseUploadPolicy,
} from '@slipway/media';
import { inspectMedia } from './inspect-media';

/** How to call the command. */
export const INSPECT_USAGE = `Usage: npm run media:inspect -- [--decision] <file>...

Prints to stdout the JSON the media flow would store for each file: metadata.json for an image
(format, dimensions, capture time, GPS, camera), probe.json for a video (ffprobe summary).
File names, rejections and errors go to stderr, so stdout can be piped to jq.

  --decision   also print Validate's decision (type, size, accepted or the rejection reason)
  --help       this text`;

/** Where {@link runInspect} writes; the CLI passes process.stdout / process.stderr. */
export interface InspectOutput {
  out(text: string): void;
  err(text: string): void;
}

/**
 * Runs the command on `argv` (the arguments after the script name) and returns the exit code.
 * Never throws for bad input: every problem is printed with what to do.
 */
export async function runInspect(
  argv: readonly string[],
  io: InspectOutput,
  env: Readonly<Record<string, string | undefined>> = process.env,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { decision: { type: 'boolean', default: false }, help: { type: 'boolean' } },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${INSPECT_USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    io.out(`${INSPECT_USAGE}\n`);
    return 0;
  }
  if (parsed.positionals.length === 0) {
    io.err(`Name at least one file to inspect.\n\n${INSPECT_USAGE}\n`);
    return 2;
  }
  let options;
  try {
    options = {
      policy: parseUploadPolicy(env),
      maxPixels: positiveIntEnv('MAX_INPUT_PIXELS', DEFAULT_MAX_PIXELS, env),
    };
  } catch (error) {
    io.err(`${(error as Error).message}\n`);
    return 2;
  }
  let exit = 0;
  for (const file of parsed.positionals) {
    const code = await inspectOne(file, parsed.values.decision, options, io);
    exit = Math.max(exit, code);
  }
  return exit;
}

async function inspectOne(
  file: string,
  withDecision: boolean,
  options: Parameters<typeof inspectMedia>[2],
  io: InspectOutput,
): Promise<number> {
  let bytes: Buffer;
  try {
    if (!statSync(file).isFile()) throw new Error('it is not a regular file');
    bytes = readFileSync(file);
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'it does not exist'
        : (error as Error).message;
    io.err(`${file}: cannot be read: ${why}. Pass the path of a local image or video.\n`);
    return 2;
  }
  try {
    const result = await inspectMedia(file, bytes, {
      ...options,
      // Printed when made: a file a later step quarantines (the catch below) still shows it.
      onDecision: (decision) => {
        if (!withDecision) return;
        io.err(`${file}: Validate decision\n`);
        io.out(derivedJson(decision).toString());
      },
      onIgnored: (reason) => io.err(`${file}: ${reason}\n`),
    });
    if (result.decision.status === 'rejected') {
      io.err(`${file}: rejected (${result.decision.code}): ${result.decision.reason}\n`);
      return 1;
    }
    const document =
      'metadata' in result ? result.metadata : 'probe' in result ? result.probe : undefined;
    const name = 'metadata' in result ? 'metadata.json' : 'probe.json';
    if ('thumbnails' in result) {
      const sizes = result.thumbnails.map((t) => `${t.format} ${t.width}×${t.height}`).join(', ');
      io.err(`${file}: thumbnails would be ${sizes}\n`);
    }
    io.err(`${file}: ${name}\n`);
    io.out(derivedJson(document).toString());
    return 0;
  } catch (error) {
    if (error instanceof MediaInputError) {
      io.err(`${file}: would be quarantined: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
