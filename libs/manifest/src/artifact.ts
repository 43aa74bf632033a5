import { InvalidSha256Error } from './errors';

/**
 * The artifact contract between the package target, the publisher (tools/delivery
 * publish-artifacts) and the stacks: a Lambda's zip lives in the account's artifact bucket
 * (created by terraform/bootstrap) under a key derived from its SHA-256, so the same bytes always
 * have the same key, an upload is needed only when the key is absent, and a stack that references
 * an unchanged zip plans no change.
 *
 * The key uses the hex digest: the base64 one (what `filebase64sha256` and the `.sha256` file
 * next to the zip hold) contains `/` and `+`, which would split or escape the key.
 */

/** The artifact bucket of an account: `<namePrefix>-artifacts-<accountId>` (terraform/bootstrap/main.tf). */
export function artifactBucketName(namePrefix: string, accountId: string): string {
  return `${namePrefix}-artifacts-${accountId}`;
}

/** A base64 SHA-256 as the `.sha256` file and `filebase64sha256` give it: 43 characters and `=`. */
const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Hex form of a base64 SHA-256.
 *
 * @throws {InvalidSha256Error} when `base64` is not a base64 SHA-256.
 * @example sha256Hex('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=') // 'e3b0c442…b855'
 */
export function sha256Hex(base64: string): string {
  if (!BASE64_SHA256.test(base64)) throw new InvalidSha256Error(base64);
  return Buffer.from(base64, 'base64').toString('hex');
}

/**
 * Key of a Lambda's zip in the artifact bucket: `<environment>/<lambda>/<hex sha256>.zip`.
 * The environment prefix is what each environment's deploy role may write
 * (terraform/bootstrap/iam.tf, `UploadArtifacts`).
 *
 * @throws {InvalidSha256Error} when `sha256Base64` is not a base64 SHA-256.
 * @example artifactKey('dev', 'etl-publish', '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=')
 *   // 'dev/etl-publish/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.zip'
 */
export function artifactKey(environment: string, lambda: string, sha256Base64: string): string {
  return `${environment}/${lambda}/${sha256Hex(sha256Base64)}.zip`;
}

/**
 * Key of a Lambda's source map in the artifact bucket: beside its zip, named by the zip's SHA-256
 * (`<environment>/<lambda>/<hex sha256 of the zip>.js.map`), so the `CodeSha256` a deployed
 * function reports is enough to find the map that decodes its stack traces (issue 17).
 *
 * @throws {InvalidSha256Error} when `zipSha256Base64` is not a base64 SHA-256.
 * @example sourceMapKey('dev', 'etl-publish', '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=')
 *   // 'dev/etl-publish/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855.js.map'
 */
export function sourceMapKey(environment: string, lambda: string, zipSha256Base64: string): string {
  return `${environment}/${lambda}/${sha256Hex(zipSha256Base64)}.js.map`;
}
