import type { S3Client } from '@aws-sdk/client-s3';
import { listObjects } from '@slipway/aws';
import {
  PartitionDateSchema,
  type ListPartitionsInput,
  type ListPartitionsOutput,
} from '@slipway/events';
import { EtlInputError } from '../errors';
import { rawPrefix } from '../keys';

/**
 * The partition day a request means: its `date`, or the UTC day before `scheduledTime` (a
 * nightly run processes yesterday, whatever the schedule's own time zone).
 *
 * @throws {EtlInputError} when neither is given or a value is not a date.
 * @example
 * partitionDate({ scheduledTime: '2026-03-02T01:30:00Z' }); // '2026-03-01'
 */
export function partitionDate(
  request: Pick<ListPartitionsInput, 'date' | 'scheduledTime'>,
): string {
  if (request.date !== undefined) {
    if (!PartitionDateSchema.safeParse(request.date).success)
      throw new EtlInputError(
        `date must be a calendar day as YYYY-MM-DD, got "${request.date}". Start the flow with {"date": "2026-03-01"}.`,
      );
    return request.date;
  }
  const at = request.scheduledTime === undefined ? Number.NaN : Date.parse(request.scheduledTime);
  if (Number.isNaN(at))
    throw new EtlInputError(
      `Give the day to process: {"date": "YYYY-MM-DD"}, or the schedule's {"scheduledTime": "<ISO-8601>"} (got ${JSON.stringify(request)}).`,
    );
  return new Date(at - 86_400_000).toISOString().slice(0, 10);
}

/**
 * `ListPartitions`: every raw object of one day, `raw/<source>/dt=<date>/*` for every source
 * (or the one asked), sorted by key. A day without objects gives an empty list: the flow still
 * runs and reports zeros.
 *
 * Sources are found by listing `raw/` and keeping the keys of that day, not with a `/`
 * delimiter: s3rver (the local S3) returns no CommonPrefixes for nested keys, and the data
 * bucket's lifecycle expires `raw/` after 90 days, which bounds the listing.
 */
export async function listPartitions(
  s3: S3Client,
  bucket: string,
  request: ListPartitionsInput,
): Promise<ListPartitionsOutput> {
  const date = partitionDate(request);
  const asOf = request.asOf ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(asOf)))
    throw new EtlInputError(
      `asOf must be an ISO-8601 instant such as 2026-03-02T01:30:00Z, got "${asOf}".`,
    );
  const prefix = request.source ? rawPrefix(request.source, date) : 'raw/';
  // Only `raw/<source>/dt=<date>/<name>`: deeper keys do not follow the layout Transform reads.
  const day = new RegExp(`^raw/[^/]+/dt=${date}/[^/]+$`);
  const objects: ListPartitionsOutput['objects'] = (await listObjects(s3, bucket, prefix))
    .filter(({ key }) => day.test(key) && !key.endsWith('/'))
    .map(({ key }) => ({
      bucket,
      key,
      date,
      asOf,
      ...(request.runId ? { runId: request.runId } : {}),
    }));
  return { date, objects };
}
