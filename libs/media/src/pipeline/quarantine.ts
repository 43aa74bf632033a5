import { createHash } from 'node:crypto';
import { CopyObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { copySource, deleteKeys, listObjects } from '@slipway/aws';
import type { ObjectRef, QuarantineInput, QuarantineOutput } from '@slipway/events';
import { derivedPrefixOf, quarantineCopyKey, quarantineSidecarKey, UPLOADS_PREFIX } from '../keys';
import { mediaIdOf } from '../media-id';

/** Why an upload ends in quarantine, read from what the flow routed there. */
export interface QuarantineReason {
  outcome: 'rejected' | 'failed';
  code: string;
  reason: string;
}

/**
 * Reads the reason from the state the flow routed to `Quarantine`: a `rejected` Validate
 * decision, a caught `MediaInputError` (the file is the problem: a handled rejection), or any
 * other caught error (a fault: `failed`, so the execution ends in Fail and alarms fire).
 */
export function reasonOf(state: QuarantineInput['input']): QuarantineReason {
  // A failed Parallel branch carries its error; bad input (MediaInputError) explains more than a
  // sibling's fault, so it wins when both happened.
  const branchErrors = (state.outputs?.branches ?? []).flatMap((b) =>
    b.failed && b.error ? [b.error] : [],
  );
  const input = {
    ...state,
    error:
      state.error ?? branchErrors.find((e) => e.Error === 'MediaInputError') ?? branchErrors[0],
  };
  const decision = input.validation?.decision as
    { status?: string; code?: string; reason?: string } | undefined;
  if (!input.error && decision?.status === 'rejected') {
    return {
      outcome: 'rejected',
      code: decision.code ?? 'REJECTED',
      reason: decision.reason ?? 'The upload was refused.',
    };
  }
  if (input.error) {
    const cause = parseCause(input.error.Cause);
    const message = cause.errorMessage ?? String(input.error.Cause ?? '');
    if (input.error.Error === 'MediaInputError') {
      const [, problem, text] = /^([A-Z_]+): ([\s\S]*)$/.exec(message) ?? [
        undefined,
        'UNUSABLE_MEDIA',
        message,
      ];
      return { outcome: 'rejected', code: problem!, reason: text! };
    }
    return {
      outcome: 'failed',
      code: 'PROCESSING_FAILED',
      reason: `${input.error.Error}: ${message || 'no details'}`.slice(0, 1000),
    };
  }
  return {
    outcome: 'failed',
    code: 'UNROUTED',
    reason: 'The flow sent the upload to quarantine without a decision or an error.',
  };
}

function parseCause(cause: unknown): { errorType?: string; errorMessage?: string } {
  if (typeof cause !== 'string') return {};
  try {
    return JSON.parse(cause);
  } catch {
    return { errorMessage: cause };
  }
}

/** S3 user metadata is ASCII-only and bounded: keep the reason readable and within limits. */
const asMetadata = (text: string) => text.replace(/[^\x20-\x7e]/g, '?').slice(0, 1024);

/**
 * `Quarantine`: copies the original to `quarantine/<mediaId>/<file name>` with the reason in its
 * metadata, writes `quarantine/<mediaId>/reason.json`, and removes every partial object under
 * `derived/<mediaId>/`. Keys outside `uploads/` are never read or copied (the function may
 * only read `uploads/*`); a missing original is recorded as such. Safe to run twice.
 */
export async function quarantineUpload(
  s3: S3Client,
  { input }: QuarantineInput,
): Promise<QuarantineOutput> {
  const object: ObjectRef = input.object;
  const mediaId = input.validation?.mediaId ?? mediaIdOf(object);
  const why = reasonOf(input);
  const sidecar = quarantineSidecarKey(mediaId);

  let copyKey: string | undefined;
  let note: string | undefined;
  if (!object.key.startsWith(UPLOADS_PREFIX)) {
    note = `not copied: ${object.key} is outside ${UPLOADS_PREFIX}`;
  } else {
    copyKey = quarantineCopyKey(mediaId, object.key);
    try {
      await s3.send(
        new CopyObjectCommand({
          Bucket: object.bucket,
          Key: copyKey,
          CopySource: copySource(object.bucket, object.key, object.versionId),
          MetadataDirective: 'REPLACE',
          Metadata: {
            'media-id': mediaId,
            'reason-code': why.code,
            reason: asMetadata(why.reason),
          },
        }),
      );
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name !== 'NoSuchKey' && name !== 'NotFound') throw error;
      copyKey = undefined;
      note = 'not copied: the original no longer exists';
    }
  }

  const partial = (await listObjects(s3, object.bucket, derivedPrefixOf(mediaId))).map(
    (o) => o.key,
  );
  await deleteKeys(s3, object.bucket, partial);

  const record = {
    mediaId,
    source: object,
    ...why,
    copy: copyKey ?? null,
    note: note ?? null,
    removedDerived: partial,
  };
  await s3.send(
    new PutObjectCommand({
      Bucket: object.bucket,
      Key: sidecar,
      Body: `${JSON.stringify(record, null, 2)}\n`,
      ContentType: 'application/json',
    }),
  );
  return {
    outcome: why.outcome,
    reason: why.reason,
    event: {
      eventId: createHash('sha256')
        .update(`MediaRejected/${mediaId}/${why.code}`)
        .digest('hex')
        .slice(0, 32),
      mediaId,
      source: object,
      outcome: why.outcome,
      code: why.code,
      reason: why.reason,
      quarantine: { ...(copyKey ? { key: copyKey } : {}), sidecar },
    },
  };
}
