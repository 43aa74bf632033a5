import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createS3Client, ObjectNotFoundError, readObjectHead } from '@slipway/aws';
import { ValidateInputSchema, type ValidateOutput, type ValidationDecision } from '@slipway/events';
import {
  decideUpload,
  derivedPrefixOf,
  mediaIdOf,
  parseUploadPolicy,
  SNIFF_BYTES,
  UPLOADS_PREFIX,
} from '@slipway/media';
import { createObservability, instrumentHandler } from '@slipway/observability';
import manifest from '../lambda.manifest.json';

/** Logger, tracer and metrics of this function (service name and domain from the manifest). */
export const obs = createObservability(manifest);
const s3 = createS3Client(obs);
// Read once at cold start: a bad limit fails the first invocation with the variable's name.
const policy = parseUploadPolicy(process.env);

/**
 * `Validate` state of the media flow: reads only the first bytes of the upload, identifies its
 * real type from magic bytes, and returns a typed accept/reject decision with the upload's
 * `mediaId` and derived prefix. Keys outside `uploads/` are refused without being read.
 */
export const handler = instrumentHandler(
  obs,
  { input: ValidateInputSchema, source: 'Validate input' },
  async ({ object }): Promise<ValidateOutput> => {
    const decision = await decide(object);
    const mediaId = mediaIdOf(decision.object);
    obs.metrics.addMetric(
      decision.status === 'accepted' ? 'UploadAccepted' : 'UploadRejected',
      MetricUnit.Count,
      1,
    );
    obs.logger.info('Upload validated', {
      mediaId,
      status: decision.status,
      mime: decision.mime,
      size: decision.size,
      ...(decision.status === 'rejected' ? { code: decision.code } : {}),
    });
    return { ...decision, mediaId, derivedPrefix: derivedPrefixOf(mediaId) };
  },
);

async function decide(object: ValidationDecision['object']): Promise<ValidationDecision> {
  if (!object.key.startsWith(UPLOADS_PREFIX)) {
    return {
      status: 'rejected',
      object,
      size: object.size ?? 0,
      code: 'OUTSIDE_UPLOADS',
      reason: `Only keys under ${UPLOADS_PREFIX} are processed; ${object.key} was left untouched.`,
    };
  }
  try {
    const head = await readObjectHead(s3, object, SNIFF_BYTES);
    const pinned = {
      ...object,
      size: head.size,
      etag: head.etag ?? object.etag,
      versionId: head.versionId ?? object.versionId,
    };
    return await decideUpload({ object: pinned, size: head.size, head: head.bytes }, policy);
  } catch (error) {
    if (!(error instanceof ObjectNotFoundError)) throw error;
    return { status: 'rejected', object, size: 0, code: 'NOT_FOUND', reason: error.message };
  }
}
