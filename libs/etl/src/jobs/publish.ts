import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { AggregateOutput, PublishOutput } from '@slipway/events';
import { publishPlan } from '../publish';
import { readAggregated } from './aggregate';

/**
 * `Publish`: the day's curated files, then its `_manifest.json` last, so a reader that finds the
 * manifest finds every file it lists. Same keys on every run of the day: a rerun replaces them.
 */
export async function runPublish(
  s3: S3Client,
  bucket: string,
  aggregate: AggregateOutput,
): Promise<PublishOutput> {
  const plan = publishPlan(aggregate.date, await readAggregated(s3, bucket, aggregate));
  for (const put of plan.puts) {
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: put.key,
        Body: put.body,
        ContentType: put.contentType,
        Metadata: { sha256: put.sha256 },
      }),
    );
  }
  return plan.output;
}
