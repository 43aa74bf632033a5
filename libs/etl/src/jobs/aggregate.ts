import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { AggregateOutput, TransformOutput } from '@slipway/events';
import type { AsyncBuffer } from 'hyparquet';
import { aggregateDay, type CuratedTable } from '../aggregate';
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
  const sources = (async function* () {
    for (const key of keys) yield await s3AsyncBuffer(s3, bucket, key);
  })();
  const { tables, counts } = await aggregateDay(sources);
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
