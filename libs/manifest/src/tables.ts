/**
 * The DynamoDB tables manifests can name (`read table:<name>`, `write table:<name>`), each owned
 * by one domain. They are declared here rather than beside the buckets in the stacks' domains
 * because two places build them from the same declaration: the stacks (the governed `table`
 * module, in the owning domain's stack) and the sandbox (the local DynamoDB), and a table's key
 * schema is a contract the functions' code relies on.
 */

/** Key attribute types DynamoDB accepts: string, number, binary. */
export type KeyType = 'S' | 'N' | 'B';

/**
 * A global secondary index of a table (the `table` module's `global_secondary_indexes`): its
 * own key, queried with `read table:<name>` (granted on `<table ARN>/index/*`).
 */
export interface GlobalSecondaryIndexSpec {
  /** Index name, passed as `IndexName` to Query. */
  readonly name: string;
  readonly hashKey: string;
  readonly hashKeyType: KeyType;
  readonly rangeKey?: string;
  readonly rangeKeyType?: KeyType;
  /** Attributes copied into the index (default `ALL`: a Query needs no second read). */
  readonly projection?: 'ALL' | 'KEYS_ONLY';
}

/** One table. */
export interface TableSpec {
  /**
   * Logical name, unique: used in permission intents, in the function's `TABLE_<NAME>` variable
   * and in the real name `<prefix>-<env>-<name>`.
   */
  readonly name: string;
  /** The domain whose stack owns the table. */
  readonly domain: string;
  /** What the table holds and who writes it (a tag: letters, digits, spaces and `_.:/=+-@`). */
  readonly purpose: string;
  readonly hashKey: string;
  readonly hashKeyType: KeyType;
  readonly rangeKey?: string;
  readonly rangeKeyType?: KeyType;
  /** Attribute holding the item's expiry in Unix seconds; DynamoDB deletes expired items. */
  readonly ttlAttribute?: string;
  /** Global secondary indexes, each with its own key; default none. */
  readonly globalSecondaryIndexes?: readonly GlobalSecondaryIndexSpec[];
}

/**
 * The key layout of Powertools Idempotency's `DynamoDBPersistenceLayer` with its default
 * attribute names: key `id`, expiry `expiration`.
 * https://docs.aws.amazon.com/powertools/typescript/latest/features/idempotency/#dynamodb-table
 */
export const IDEMPOTENCY_TABLE_LAYOUT = {
  hashKey: 'id',
  hashKeyType: 'S',
  ttlAttribute: 'expiration',
} as const satisfies Partial<TableSpec>;

/**
 * The sessions learners book (owner: `jobs`). Key `sessionId` (S). The hourly reminder job reads
 * the sessions starting in an hour through the index `by-start-hour`: hash `startHour` (S, the
 * start's UTC hour `YYYY-MM-DDTHH`, e.g. `2026-12-02T09`), range `startsAt` (S, the ISO 8601
 * start, e.g. `2026-12-02T09:30:00.000Z`), all attributes projected. No TTL: a session is kept.
 *
 * @example
 * // The job's query for the sessions of one hour:
 * // Query { IndexName: 'by-start-hour', KeyConditionExpression: 'startHour = :h',
 * //         ExpressionAttributeValues: { ':h': '2026-12-02T09' } }
 */
export const SESSIONS_TABLE = {
  name: 'sessions',
  domain: 'jobs',
  purpose: 'Booked learning sessions: the reminder job queries the next hour by start hour',
  hashKey: 'sessionId',
  hashKeyType: 'S',
  globalSecondaryIndexes: [
    {
      name: 'by-start-hour',
      hashKey: 'startHour',
      hashKeyType: 'S',
      rangeKey: 'startsAt',
      rangeKeyType: 'S',
      projection: 'ALL',
    },
  ],
} as const satisfies TableSpec;

/** Every table, by logical name. */
export const TABLES: readonly TableSpec[] = [
  {
    name: 'edge-idempotency',
    domain: 'edge',
    purpose:
      'Powertools Idempotency records of the edge Lambdas: a Stripe event id is published once',
    ...IDEMPOTENCY_TABLE_LAYOUT,
  },
  {
    name: 'jobs-idempotency',
    domain: 'jobs',
    purpose:
      'Powertools Idempotency records of the jobs Lambdas: an EventBridge event id is handled once',
    ...IDEMPOTENCY_TABLE_LAYOUT,
  },
  SESSIONS_TABLE,
];
