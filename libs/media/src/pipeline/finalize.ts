import { createHash } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { digestObject, listObjects } from '@slipway/aws';
import type { DerivedObject, FinalizeInput, FinalizeOutput, MediaManifest } from '@slipway/events';
import { derivedPrefixOf, derivedRoleOf, manifestKey } from '../keys';

/**
 * `Finalize`: lists every object under `derived/<mediaId>/`, streams each once for its SHA-256,
 * and writes `manifest.json` (sorted, no timestamps: a re-run of the same upload writes the
 * same bytes). Width and height come from each object's `width`/`height` user metadata when
 * the Task that wrote it set them. Each object's role is read back from its key
 * ({@link derivedRoleOf}); a name no Task writes fails the state. The `MediaProcessed` detail carries an event id derived from
 * the manifest's hash, so a re-run announces the same id.
 */
export async function finalizeMedia(s3: S3Client, input: FinalizeInput): Promise<FinalizeOutput> {
  const { bucket } = input.object;
  const listed = (await listObjects(s3, bucket, derivedPrefixOf(input.mediaId))).filter(
    (o) => derivedRoleOf(o.key) !== 'manifest',
  );
  const derived: DerivedObject[] = [];
  for (const { key } of listed) {
    const digest = await digestObject(s3, bucket, key);
    const width = Number(digest.metadata.width);
    const height = Number(digest.metadata.height);
    derived.push({
      key,
      role: derivedRoleOf(key),
      contentType: digest.contentType ?? 'application/octet-stream',
      bytes: digest.bytes,
      sha256: digest.sha256,
      ...(width > 0 && height > 0 ? { width, height } : {}),
    });
  }
  const manifest: MediaManifest = {
    mediaId: input.mediaId,
    source: input.object,
    kind: input.kind,
    mime: input.mime,
    derived,
  };
  const body = `${JSON.stringify(manifest, null, 2)}\n`;
  const key = manifestKey(input.mediaId);
  await s3.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }),
  );
  const sha256 = createHash('sha256').update(body).digest('base64');
  return {
    manifest: { bucket, key },
    event: {
      eventId: createHash('sha256')
        .update(`MediaProcessed/${input.mediaId}/${sha256}`)
        .digest('hex')
        .slice(0, 32),
      mediaId: input.mediaId,
      source: input.object,
      kind: input.kind,
      manifest: { bucket, key, sha256 },
      derivedCount: derived.length,
    },
  };
}
