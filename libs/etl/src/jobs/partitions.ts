import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { deleteKeys, listObjects } from '@slipway/aws';
import {
  PartitionDateSchema,
  type ListPartitionsInput,
  type ListPartitionsOutput,
  type RunObject,
} from '@slipway/events';
import { EtlInputError } from '../errors';
import {
  quarantineObjectKey,
  quarantineRowsKey,
  rawPrefix,
  runObjectsKey,
  runResultsPrefix,
  stagingKey,
} from '../keys';

/** One day's raw objects as {@link listPartitions} found them, before they are written for the Map. */
export interface DayListing {
  date: string;
  /** The run's "now" (ISO-8601). */
  asOf: string;
  /** Sorted by key. */
  objects: RunObject[];
}

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
): Promise<DayListing> {
  const date = partitionDate(request);
  const asOf = request.asOf ?? new Date().toISOString();
  if (Number.isNaN(Date.parse(asOf)))
    throw new EtlInputError(
      `asOf must be an ISO-8601 instant such as 2026-03-02T01:30:00Z, got "${asOf}".`,
    );
  const prefix = request.source ? rawPrefix(request.source, date) : 'raw/';
  // Only `raw/<source>/dt=<date>/<name>`: deeper keys do not follow the layout Transform reads.
  const day = new RegExp(`^raw/[^/]+/dt=${date}/[^/]+$`);
  const objects = (await listObjects(s3, bucket, prefix))
    .filter(({ key }) => day.test(key) && !key.endsWith('/'))
    .map(({ key, bytes }) => ({ key, size: bytes }));
  return { date, asOf, objects };
}

/**
 * Writes the day's object list to the run's folder (`staging/_runs/<date>/<runId>/objects.json`,
 * a JSON array the Transform Map's ItemReader reads) and returns the pointer the flow carries
 * instead of the objects: its size does not grow with the day (256 KiB state limit). A retry of
 * ListPartitions rewrites the same key with the same listing.
 *
 * @example
 * const pointer = await writeRunObjects(s3, bucket, listing, 'nightly-2026-03-02');
 * // { bucket, key: 'staging/_runs/2026-03-01/nightly-2026-03-02/objects.json', count: 2, ... }
 */
export async function writeRunObjects(
  s3: S3Client,
  bucket: string,
  listing: DayListing,
  runId: string,
): Promise<ListPartitionsOutput> {
  const key = runObjectsKey(listing.date, runId);
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: JSON.stringify(listing.objects),
      ContentType: 'application/json',
    }),
  );
  return {
    bucket,
    key,
    count: listing.objects.length,
    date: listing.date,
    asOf: listing.asOf,
    runId,
    resultsPrefix: runResultsPrefix(listing.date, runId),
  };
}

/**
 * The staging and quarantine keys of `date` that no raw object of `rawKeys` explains: what a
 * first run over today's raw set would not have written (outputs of a raw object deleted since an
 * earlier run, or written late by a run that failed). Aggregate's work area
 * (`staging/_aggregate/`) is not an output of a raw object and is never stale. Pure: the caller
 * lists and deletes.
 *
 * @example
 * staleOutputKeys('2026-03-01', ['raw/lms/dt=2026-03-01/a.csv'], [
 *   'staging/lms/dt=2026-03-01/a.csv.parquet',
 *   'staging/lms/dt=2026-03-01/gone.csv.parquet',
 * ]); // ['staging/lms/dt=2026-03-01/gone.csv.parquet']
 */
export function staleOutputKeys(
  date: string,
  rawKeys: readonly string[],
  outputKeys: readonly string[],
): string[] {
  const explained = new Set(
    rawKeys.flatMap((key) => [stagingKey(key), quarantineRowsKey(key), quarantineObjectKey(key)]),
  );
  const day = new RegExp(`^(staging|quarantine)/([^/]+)/dt=${date}/`);
  return outputKeys
    .filter((key) => {
      const match = day.exec(key);
      return match !== null && match[2] !== '_aggregate' && !explained.has(key);
    })
    .sort();
}

/**
 * Deletes the day's staging and quarantine objects that no raw object of `partitions` explains
 * ({@link staleOutputKeys}), so a rerun over a changed day leaves what a first run over the same
 * raw set would (GitHub issue 17). Run by `ListPartitions` before the Map: it is the step that
 * knows the run's scope (every source, or the one asked) and the raw set the run will read.
 * Idempotent (a retry deletes nothing more). Nothing is lost: every key removed is derived from
 * a raw object that no longer exists, and Aggregate only reads the staging files that this run's
 * Transforms report, so a stale file was never part of the day's curated tables.
 *
 * Outputs of an object that still exists are each Transform's to replace: a success removes a
 * stale whole-object quarantine copy, an object error removes staging and rejected rows.
 *
 * @returns the deleted keys, sorted.
 */
export async function removeStaleOutputs(
  s3: S3Client,
  bucket: string,
  partitions: DayListing,
  source?: string,
): Promise<string[]> {
  const { date } = partitions;
  const listed = source
    ? [`staging/${source}/dt=${date}/`, `quarantine/${source}/dt=${date}/`]
    : ['staging/', 'quarantine/'];
  const outputs = (await Promise.all(listed.map((prefix) => listObjects(s3, bucket, prefix))))
    .flat()
    .map(({ key }) => key);
  const stale = staleOutputKeys(
    date,
    partitions.objects.map((o) => o.key),
    outputs,
  );
  await deleteKeys(s3, bucket, stale);
  return stale;
}
