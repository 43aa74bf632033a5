/**
 * `@slipway/media`: decides whether an uploaded object is media the platform accepts, from its
 * bytes (never its name or Content-Type) and its size, under an upload policy read from the
 * environment. See this library's README for the allow-list and the variables.
 */
export { detectMediaType, SNIFF_BYTES, type DetectedType } from './detect';
export {
  MediaError,
  MediaInputError,
  type MediaInputProblem,
  UploadInputError,
  UploadPolicyError,
} from './errors';
export { formatBytes } from './format-bytes';
export {
  DEFAULT_UPLOAD_POLICY,
  NOT_DECODABLE_BY_DEFAULT,
  KNOWN_MEDIA_TYPES,
  parseUploadPolicy,
  type AllowedType,
  type KnownMimeType,
  type UploadPolicy,
} from './upload-policy';
export {
  decideUpload,
  pinObject,
  rejectMissing,
  rejectOutsideUploads,
  type ObjectSeen,
  type UploadCandidate,
} from './validate-upload';
export { mediaIdOf } from './media-id';
export * from './keys';
export { derivedJson } from './derived-json';
export * from './pipeline';
export * from './image';
export * from './video';
