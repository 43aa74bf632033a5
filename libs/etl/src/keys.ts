import { PartitionDateSchema, type CuratedTableName } from '@slipway/events';
import { EtlInputError } from './errors';

/** The parts of a raw object key `raw/<source>/dt=YYYY-MM-DD/<name>`. */
export interface RawKey {
  source: string;
  date: string;
  /** File name under the partition, may contain further `/`. */
  name: string;
}

const RAW_KEY = /^raw\/([^/]+)\/dt=(\d{4}-\d{2}-\d{2})\/(.+)$/;

/**
 * Splits a raw key into source, day and file name.
 *
 * @throws {EtlInputError} when the key is not under `raw/<source>/dt=YYYY-MM-DD/`.
 * @example
 * parseRawKey('raw/lms/dt=2026-03-01/events-0001.ndjson.gz');
 * // { source: 'lms', date: '2026-03-01', name: 'events-0001.ndjson.gz' }
 */
export function parseRawKey(key: string): RawKey {
  const match = RAW_KEY.exec(key);
  if (!match || !PartitionDateSchema.safeParse(match[2]).success) {
    throw new EtlInputError(
      `The key "${key}" is not a raw ETL object. Raw objects live under raw/<source>/dt=YYYY-MM-DD/<file>.`,
    );
  }
  return { source: match[1], date: match[2], name: match[3] };
}

/** The prefix that holds one source's objects of one day, e.g. `raw/lms/dt=2026-03-01/`. */
export function rawPrefix(source: string, date: string): string {
  return `raw/${source}/dt=${date}/`;
}

/**
 * Where Transform writes the valid rows of a raw object: the same path under `staging/`, with
 * `.parquet` appended (`raw/lms/dt=2026-03-01/a.csv` → `staging/lms/dt=2026-03-01/a.csv.parquet`).
 * One file per raw object keeps reruns of one Map iteration idempotent.
 */
export function stagingKey(rawKey: string): string {
  const { source, date, name } = parseRawKey(rawKey);
  return `staging/${source}/dt=${date}/${name}.parquet`;
}

/** Where Transform writes the rejected rows of a raw object (`...<name>.rejected.ndjson`). */
export function quarantineRowsKey(rawKey: string): string {
  const { source, date, name } = parseRawKey(rawKey);
  return `quarantine/${source}/dt=${date}/${name}.rejected.ndjson`;
}

/** Where the caller copies a raw object that could not be read at all (same name under `quarantine/`). */
export function quarantineObjectKey(rawKey: string): string {
  const { source, date, name } = parseRawKey(rawKey);
  return `quarantine/${source}/dt=${date}/${name}`;
}

/**
 * Where Aggregate leaves one table of the day for Publish,
 * `staging/_aggregate/dt=YYYY-MM-DD/<table>.parquet` (never read by query engines).
 */
export function aggregateWorkKey(table: CuratedTableName, date: string): string {
  return `staging/_aggregate/dt=${date}/${table}.parquet`;
}

/** `curated/<table>/dt=YYYY-MM-DD/part-00000.parquet`. */
export function curatedKey(table: CuratedTableName, date: string): string {
  return `curated/${table}/dt=${date}/part-00000.parquet`;
}

/**
 * `curated/_manifest/dt=YYYY-MM-DD/_manifest.json`. The leading underscore keeps Athena, Glue
 * and Spark from reading it as data when they scan `curated/`.
 */
export function manifestKey(date: string): string {
  return `curated/_manifest/dt=${date}/_manifest.json`;
}

/**
 * Where every run of the flow keeps its own bookkeeping (the object list and the Map's results):
 * `staging/_runs/`. Under `staging/`, so the bucket's staging lifecycle expires it; never read by
 * Aggregate or query engines; not `dt=`-partitioned, so rerun cleanup never treats it as stale.
 * The state machine's role may read and write exactly this prefix (terraform/stacks).
 */
export const RUNS_PREFIX = 'staging/_runs/';

/** The folder of one run: `staging/_runs/<date>/<runId>/` (`runId` = the execution name). */
export function runPrefix(date: string, runId: string): string {
  if (!PartitionDateSchema.safeParse(date).success)
    throw new EtlInputError(`A run folder needs a day as YYYY-MM-DD, got "${date}".`);
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(runId))
    throw new EtlInputError(
      `A run folder needs the execution name (1-80 letters, digits, - or _), got "${runId}".`,
    );
  return `${RUNS_PREFIX}${date}/${runId}/`;
}

/** The run's object list, read by the Transform Map's ItemReader: `<run>/objects.json`. */
export function runObjectsKey(date: string, runId: string): string {
  return `${runPrefix(date, runId)}objects.json`;
}

/** The Transform Map's ResultWriter prefix: `<run>/results` (Step Functions adds `/<map run id>/`). */
export function runResultsPrefix(date: string, runId: string): string {
  return `${runPrefix(date, runId)}results`;
}
