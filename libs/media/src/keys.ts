import type { DerivedRole } from '@slipway/events';
import { MediaError } from './errors';
import type { ThumbnailFormat } from './image/thumbnails';

// The key layout of the media bucket, in one place: where uploads arrive, where each derived
// object of an upload goes (`derived/<mediaId>/...`) and where quarantined uploads go. The
// Tasks write these keys, Finalize classifies them back into roles and Quarantine removes
// them; nothing else builds these strings. The flow's MediaConvert destination encodes the
// rendition's key too: `tests/unit/keys.spec.ts` holds the ASL to it.

/** Only uploads under this prefix are processed; everything else is refused untouched. */
export const UPLOADS_PREFIX = 'uploads/';

/** Every derived object of an upload lives under `derived/<mediaId>/`. */
export const DERIVED_PREFIX = 'derived/';

/** Where quarantined copies go: `quarantine/<mediaId>/`. */
export const QUARANTINE_PREFIX = 'quarantine/';

/** File names of the derived objects that have one fixed name. */
export const DERIVED_NAMES = Object.freeze({
  metadata: 'metadata.json',
  probe: 'probe.json',
  poster: 'poster.jpg',
  manifest: 'manifest.json',
  /** Base name of the rendition: MediaConvert appends the output's name modifier and extension. */
  renditionBase: 'rendition',
  rendition: 'rendition-720p.mp4',
} as const);

/** File extension of a thumbnail format: JPEG thumbnails are `.jpg`, as browsers expect. */
const EXTENSIONS: Readonly<Record<ThumbnailFormat, string>> = { jpeg: 'jpg', webp: 'webp' };

/** What a thumbnail key depends on; a `Thumbnail` from `generateThumbnails` fits. */
export interface ThumbnailSlot {
  readonly longEdge: number;
  readonly format: ThumbnailFormat;
}

/**
 * `derived/<mediaId>/`: where every derived object of an upload lives. Validate puts it in the
 * flow's state as `derivedPrefix` for the ASL (the MediaConvert destination); code builds keys
 * with the functions below.
 *
 * @throws {MediaError} when `mediaId` is not 16 lowercase hex digits.
 * @example
 * derivedPrefixOf('0123456789abcdef'); // 'derived/0123456789abcdef/'
 */
export function derivedPrefixOf(mediaId: string): string {
  return `${DERIVED_PREFIX}${checked(mediaId)}/`;
}

/**
 * `derived/<mediaId>/thumb-<edge>.<jpg|webp>`, one per size slot and format.
 *
 * @example
 * for (const t of await generateThumbnails(original)) await put(thumbnailKey(mediaId, t), t.data);
 */
export function thumbnailKey(mediaId: string, slot: ThumbnailSlot): string {
  return `${derivedPrefixOf(mediaId)}thumb-${slot.longEdge}.${EXTENSIONS[slot.format]}`;
}

/** `derived/<mediaId>/metadata.json`: the image's metadata (`ImageMetadataSchema`). */
export function metadataKey(mediaId: string): string {
  return `${derivedPrefixOf(mediaId)}${DERIVED_NAMES.metadata}`;
}

/** `derived/<mediaId>/probe.json`: the video's probe (`VideoProbeSchema`). */
export function probeKey(mediaId: string): string {
  return `${derivedPrefixOf(mediaId)}${DERIVED_NAMES.probe}`;
}

/** `derived/<mediaId>/poster.jpg`: the video's poster frame. */
export function posterKey(mediaId: string): string {
  return `${derivedPrefixOf(mediaId)}${DERIVED_NAMES.poster}`;
}

/** `derived/<mediaId>/poster-thumb-<edge>.<jpg|webp>`: the poster's thumbnails. */
export function posterThumbnailKey(mediaId: string, slot: ThumbnailSlot): string {
  return `${derivedPrefixOf(mediaId)}poster-thumb-${slot.longEdge}.${EXTENSIONS[slot.format]}`;
}

/**
 * `derived/<mediaId>/rendition-720p.mp4`: the video's rendition. MediaConvert writes it from the
 * `RenderRendition` Task of `libs/flows/media.asl.json`: destination
 * {@link renditionDestination}, then the output's `NameModifier` (`-720p`) and `Extension`
 * (`mp4`); `tests/unit/keys.spec.ts` checks that the ASL yields this key.
 */
export function renditionKey(mediaId: string): string {
  return `${derivedPrefixOf(mediaId)}${DERIVED_NAMES.rendition}`;
}

/**
 * The MediaConvert `Destination` that yields {@link renditionKey}:
 * `s3://<bucket>/derived/<mediaId>/rendition`. It must not end with `/`: MediaConvert would then
 * name the output after the uploader's file name.
 */
export function renditionDestination(bucket: string, mediaId: string): string {
  return `s3://${bucket}/${derivedPrefixOf(mediaId)}${DERIVED_NAMES.renditionBase}`;
}

/** `derived/<mediaId>/manifest.json`: the list Finalize writes of every other derived object. */
export function manifestKey(mediaId: string): string {
  return `${derivedPrefixOf(mediaId)}${DERIVED_NAMES.manifest}`;
}

/** `quarantine/<mediaId>/`: the quarantined copy of one upload and its reason. */
export function quarantineFolderOf(mediaId: string): string {
  return `${QUARANTINE_PREFIX}${checked(mediaId)}/`;
}

/** `quarantine/<mediaId>/<file name of the upload>`: the quarantined copy. */
export function quarantineCopyKey(mediaId: string, uploadKey: string): string {
  return `${quarantineFolderOf(mediaId)}${uploadKey.slice(uploadKey.lastIndexOf('/') + 1)}`;
}

/** `quarantine/<mediaId>/reason.json`: why the upload was quarantined. */
export function quarantineSidecarKey(mediaId: string): string {
  return `${quarantineFolderOf(mediaId)}reason.json`;
}

const THUMBNAIL_NAME = /^thumb-\d+\.(jpg|webp)$/;
const POSTER_THUMBNAIL_NAME = /^poster-thumb-\d+\.(jpg|webp)$/;

/**
 * What a derived object is for, read back from its key by the layout above (Finalize lists
 * the prefix and describes each object with its role).
 *
 * @throws {MediaError} for a name no Task writes: something other than the flow wrote under
 * `derived/`, and a manifest that guessed its role would hide it.
 * @example
 * derivedRoleOf('derived/0123456789abcdef/poster-thumb-256.webp'); // 'poster'
 */
export function derivedRoleOf(key: string): DerivedRole {
  const name = key.slice(key.lastIndexOf('/') + 1);
  if (name === DERIVED_NAMES.manifest) return 'manifest';
  if (name === DERIVED_NAMES.metadata) return 'metadata';
  if (name === DERIVED_NAMES.probe) return 'probe';
  if (name === DERIVED_NAMES.poster || POSTER_THUMBNAIL_NAME.test(name)) return 'poster';
  if (name === DERIVED_NAMES.rendition) return 'rendition';
  if (THUMBNAIL_NAME.test(name)) return 'thumbnail';
  throw new MediaError(
    `${key} is not a derived object of the media flow (see libs/media/src/keys.ts for the names its Tasks write); remove it or add its name to the layout.`,
  );
}

/** A key built from a wrong id would still look like a key: refuse it where it is built. */
function checked(mediaId: string): string {
  if (!/^[0-9a-f]{16}$/.test(mediaId)) {
    throw new MediaError(
      `mediaId must be 16 lowercase hex digits, got ${JSON.stringify(mediaId)}: use mediaIdOf(object).`,
    );
  }
  return mediaId;
}
