import type { ImageMetadata, ValidationDecision, VideoProbe } from '@slipway/events';
import {
  decideUpload,
  DEFAULT_UPLOAD_POLICY,
  extractImageMetadata,
  generateThumbnails,
  probeVideo,
  SNIFF_BYTES,
  type Thumbnail,
  type UploadPolicy,
} from '@slipway/media';

/** Options of {@link inspectMedia}: the same limits the Lambdas read from their environment. */
export interface InspectOptions {
  /** The `Validate` policy. Default {@link DEFAULT_UPLOAD_POLICY}. */
  readonly policy?: UploadPolicy;
  /** The `Metadata` pixel limit (`MAX_INPUT_PIXELS`). Default `DEFAULT_MAX_PIXELS`. */
  readonly maxPixels?: number;
  /**
   * Hears `Validate`'s decision as soon as it is made, before the later steps run: a file they
   * would quarantine throws, and the decision is still known.
   */
  readonly onDecision?: (decision: ValidationDecision) => void;
  /** Hears why a metadata value in the file was not used (`extractImageMetadata`'s `onIgnored`). */
  readonly onIgnored?: (reason: string) => void;
}

/** What the media flow would decide and produce for one file. */
export type InspectResult =
  | { readonly decision: ValidationDecision & { status: 'rejected' } }
  | {
      readonly decision: ValidationDecision & { status: 'accepted'; kind: 'image' };
      readonly metadata: ImageMetadata;
      /** What the `Thumbnails` branch would write (without the bytes). */
      readonly thumbnails: readonly Omit<Thumbnail, 'data' | 'contentType'>[];
    }
  | {
      readonly decision: ValidationDecision & { status: 'accepted'; kind: 'video' };
      readonly probe: VideoProbe;
    };

/**
 * Runs a local file through the flow's own steps, without S3 or Step Functions: `Validate`'s
 * decision from the first {@link SNIFF_BYTES} bytes and the size, then, for an accepted image,
 * both branches of the image Parallel (`Metadata`: {@link extractImageMetadata}; `Thumbnails`:
 * {@link generateThumbnails}, kept in memory) and, for a video, the `Probe` step
 * ({@link probeVideo} on the file path). Undecodable input throws the same `MediaInputError`
 * the flow would quarantine: a truncated JPEG has readable metadata, but its thumbnails fail.
 *
 * @param path - the local file (only videos are read by path; images are passed as `bytes`).
 * @param bytes - the file's contents.
 *
 * @example
 * const result = await inspectMedia('photo.jpg', readFileSync('photo.jpg'));
 * if ('metadata' in result) console.log(result.metadata.takenAt);
 */
export async function inspectMedia(
  path: string,
  bytes: Buffer,
  options: InspectOptions = {},
): Promise<InspectResult> {
  const object = { bucket: 'local', key: `uploads/${path.split(/[\\/]/).pop() ?? path}` };
  const decision = await decideUpload(
    { object, size: bytes.length, head: bytes.subarray(0, SNIFF_BYTES) },
    options.policy ?? DEFAULT_UPLOAD_POLICY,
  );
  options.onDecision?.(decision);
  if (decision.status === 'rejected') return { decision };
  if (decision.kind === 'video') {
    return { decision: { ...decision, kind: 'video' }, probe: await probeVideo(path) };
  }
  const limits = options.maxPixels === undefined ? {} : { maxPixels: options.maxPixels };
  const [metadata, thumbnails] = await Promise.all([
    extractImageMetadata(bytes, { ...limits, onIgnored: options.onIgnored }),
    generateThumbnails(bytes, limits),
  ]);
  return {
    decision: { ...decision, kind: 'image' },
    metadata,
    thumbnails: thumbnails.map(({ longEdge, format, width, height }) => ({
      longEdge,
      format,
      width,
      height,
    })),
  };
}
