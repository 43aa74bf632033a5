import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { AggregateOutput, TransformOutput } from '@slipway/events';
import type { AsyncBuffer } from 'hyparquet';
import { aggregateDay, type CuratedTable, type StagingSource } from '../aggregate';
import { aggregateWorkKey } from '../keys';

/**
 * A staging Parquet file on S3 read by ranged GETs: the Parquet reader fetches the footer and
 * the column chunks it needs, so Aggregate never downloads a whole file into memory.
 */
export async function s3AsyncBuffer(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<AsyncBuffer> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  return {
    byteLength: head.ContentLength ?? 0,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const last = (end ?? head.ContentLength ?? 0) - 1;
      if (last < start) return new ArrayBuffer(0);
      const part = await s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${last}` }),
      );
      const bytes = await part.Body!.transformToByteArray();
      return bytes.buffer.slice(
        bytes.byteOffset,
        bytes.byteOffset + bytes.byteLength,
      ) as ArrayBuffer;
    },
  };
}

/** A staging file up to this size is read whole, in one GET; a bigger one by ranged GETs. */
export const WHOLE_FILE_BYTES = 1024 * 1024;
/** How many staging files are fetched ahead of the one being aggregated. */
export const PREFETCH_FILES = 16;

/**
 * One staging file for {@link aggregateDay}: one GET of its first {@link WHOLE_FILE_BYTES}
 * (`Range`), which is the whole file when it is small (the usual case for a day of many small
 * objects: one request instead of a HEAD and two or three ranged GETs); a bigger file is then
 * read by ranged GETs with the length that response gave, so memory holds one row group of it.
 */
export async function stagingSource(
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<StagingSource> {
  const first = await s3.send(
    new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${WHOLE_FILE_BYTES - 1}` }),
  );
  const bytes = await first.Body!.transformToByteArray();
  const total = Number(/\/(\d+)$/.exec(first.ContentRange ?? '')?.[1] ?? bytes.byteLength);
  if (total <= bytes.byteLength) return bytes;
  return {
    byteLength: total,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const last = (end ?? total) - 1;
      if (last < start) return new ArrayBuffer(0);
      const part = await s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=${start}-${last}` }),
      );
      const b = await part.Body!.transformToByteArray();
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
    },
  };
}

/**
 * The staging files in `keys` order, each fetched up to {@link PREFETCH_FILES} ahead of the one
 * being read (a day of 100,000 objects is 100,000 staging files: one after the other, S3's
 * latency alone would exceed Lambda's 15 minutes).
 */
async function* prefetched(
  s3: S3Client,
  bucket: string,
  keys: readonly string[],
): AsyncGenerator<StagingSource> {
  const ahead: Promise<StagingSource>[] = [];
  let next = 0;
  const fill = () => {
    while (ahead.length < PREFETCH_FILES && next < keys.length) {
      const pending = stagingSource(s3, bucket, keys[next++]);
      // Awaited in order below; this only keeps an early failure from being reported unhandled.
      pending.catch(() => undefined);
      ahead.push(pending);
    }
  };
  fill();
  while (ahead.length) {
    const source = await ahead.shift()!;
    fill();
    yield source;
  }
}

/**
 * `Aggregate`: the day's staging files (sorted by key, so the first occurrence of a repeated
 * event is the same on every run) into the curated tables, written to the work area.
 */
export async function runAggregate(
  s3: S3Client,
  bucket: string,
  date: string,
  transforms: TransformOutput[],
): Promise<AggregateOutput> {
  const keys = transforms
    .filter((t) => t.stagingKey && !t.objectError)
    .map((t) => t.stagingKey!)
    .sort();
  const { tables, counts } = await aggregateDay(prefetched(s3, bucket, keys));
  const written: AggregateOutput['tables'] = [];
  for (const table of tables) {
    const key = aggregateWorkKey(table.table, date);
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: table.bytes,
        ContentType: 'application/vnd.apache.parquet',
      }),
    );
    written.push({ table: table.table, key, rows: table.rows });
  }
  return { date, tables: written, counts };
}

/** Reads Aggregate's tables back for Publish. */
export async function readAggregated(
  s3: S3Client,
  bucket: string,
  aggregate: AggregateOutput,
): Promise<CuratedTable[]> {
  const tables: CuratedTable[] = [];
  for (const t of aggregate.tables) {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: t.key }));
    tables.push({ table: t.table, rows: t.rows, bytes: await object.Body!.transformToByteArray() });
  }
  return tables;
}
