import { PassThrough, Writable, type Readable } from 'node:stream';
import { CopyObjectCommand, GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { copySource, deleteKeys } from '@slipway/aws';
import type { TransformInput, TransformOutput } from '@slipway/events';
import { EtlObjectError } from '../errors';
import { quarantineObjectKey, quarantineRowsKey, stagingKey } from '../keys';
import { transformObject, type TransformResult } from '../transform';

const ZERO = { input: 0, valid: 0, rejected: 0, duplicates: 0 };

/**
 * `Transform` on S3: streams the raw object through {@link transformObject} into two streaming
 * uploads (the staging Parquet and the rejected rows' NDJSON), so neither the object nor its
 * outputs are ever held in memory. An object that cannot be read at all (truncated gzip, bad CSV
 * header, deleted since it was listed) is copied whole to `quarantine/` and reported in
 * `objectError` with zero counts; partial outputs of this or an earlier run are removed. After a
 * success, the whole-object quarantine copy of an earlier run (the object was fixed since) is
 * removed too, so a rerun leaves what a first run would. The rejected-rows upload starts with the
 * first rejected row: an object without one costs a GET, a PUT and a DeleteObjects, not a second
 * PUT of an empty file (most objects of a day have no rejected row).
 */
export async function runTransform(
  s3: S3Client,
  input: TransformInput,
  options: { now?: Date } = {},
): Promise<TransformOutput & { result?: TransformResult }> {
  const { bucket, key, date } = input;
  const uploads: Upload[] = [];
  const finished: Promise<unknown>[] = [];
  const start = (body: PassThrough, target: string, type: string) => {
    const u = upload(s3, bucket, target, body, type);
    uploads.push(u);
    const done = u.done();
    // Handled here so that an upload failing before it is awaited is not an unhandled rejection.
    done.catch(() => undefined);
    finished.push(done);
    return body;
  };
  const staging = start(new PassThrough(), stagingKey(key), 'application/vnd.apache.parquet');
  const quarantine = new LazySink(() =>
    start(new PassThrough(), quarantineRowsKey(key), 'application/x-ndjson'),
  );
  const done = () => Promise.allSettled(finished);
  try {
    const body = await readBody(s3, bucket, key);
    const result = await transformObject(
      // The run's "now" from ListPartitions: the same for every object and every retry.
      { body, key, date, now: input.asOf ? new Date(input.asOf) : options.now },
      { staging, quarantine },
    );
    for (const outcome of await done()) if (outcome.status === 'rejected') throw outcome.reason;
    // Outputs an earlier run left that this one would not write: the whole-object copy of a
    // run that could not read the object (since fixed), and an empty rejected-rows file.
    await deleteKeys(s3, bucket, [
      quarantineObjectKey(key),
      ...(result.counts.rejected === 0 ? [quarantineRowsKey(key)] : []),
    ]);
    return {
      key,
      counts: result.counts,
      stagingKey: stagingKey(key),
      ...(result.counts.rejected > 0 ? { quarantineKey: quarantineRowsKey(key) } : {}),
      result,
    };
  } catch (error) {
    staging.destroy();
    quarantine.destroy();
    await Promise.allSettled(uploads.map((u) => u.abort()));
    await done();
    if (!(error instanceof EtlObjectError)) throw error;
    // Outputs of an earlier run of this object, when it was still readable.
    await deleteKeys(s3, bucket, [stagingKey(key), quarantineRowsKey(key)]);
    const quarantined = quarantineObjectKey(key);
    if (error.code !== 'UNREADABLE' || !(error.cause instanceof NoSuchKey))
      await s3.send(
        new CopyObjectCommand({
          Bucket: bucket,
          Key: quarantined,
          CopySource: copySource(bucket, key),
          MetadataDirective: 'REPLACE',
          Metadata: { 'slipway-reason': error.code },
        }),
      );
    return {
      key,
      counts: ZERO,
      quarantineKey: quarantined,
      objectError: { code: error.code, message: error.message },
    };
  }
}

/**
 * A writable that opens its target on the first write (the rejected-rows upload): ending it
 * without a write opens nothing. Backpressure and errors pass through to the target.
 */
class LazySink extends Writable {
  #target: PassThrough | undefined;

  constructor(private readonly open: () => PassThrough) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error) => void) {
    this.#target ??= this.open();
    if (this.#target.write(chunk)) done();
    else this.#target.once('drain', () => done());
  }

  override _final(done: (error?: Error) => void) {
    if (!this.#target) return done();
    this.#target.end(() => done());
  }

  override _destroy(error: Error | null, done: (error?: Error | null) => void) {
    this.#target?.destroy(error ?? undefined);
    done(error);
  }
}

function upload(
  s3: S3Client,
  bucket: string,
  key: string,
  body: PassThrough,
  type: string,
): Upload {
  // Parts of 8 MiB, two in flight: at most ~16 MiB buffered whatever the file's size.
  return new Upload({
    client: s3,
    params: { Bucket: bucket, Key: key, Body: body, ContentType: type },
    partSize: 8 * 1024 * 1024,
    queueSize: 2,
    leavePartsOnError: false,
  });
}

async function readBody(s3: S3Client, bucket: string, key: string): Promise<Readable> {
  try {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return response.Body as Readable;
  } catch (error) {
    if (error instanceof NoSuchKey)
      throw new EtlObjectError(
        'UNREADABLE',
        key,
        `s3://${bucket}/${key} no longer exists: it was deleted after ListPartitions listed it. Nothing to quarantine; upload it again and rerun the day.`,
        { cause: error },
      );
    throw error;
  }
}
