/**
 * The DynamoDB tables manifests can name (`read table:<name>`, `write table:<name>`), each owned
 * by one domain. They are declared here rather than beside the buckets in the stacks' domains
 * because two places build them from the same declaration: the stacks (the governed `table`
 * module, in the owning domain's stack) and the sandbox (the local DynamoDB), and a table's key
 * schema is a contract the functions' code relies on.
 */

/** Key attribute types DynamoDB accepts: string, number, binary. */
export type KeyType = 'S' | 'N' | 'B';

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

/** Every table, by logical name. */
export const TABLES: readonly TableSpec[] = [
  {
    name: 'edge-idempotency',
    domain: 'edge',
    purpose:
      'Powertools Idempotency records of the edge Lambdas: a Stripe event id is published once',
    ...IDEMPOTENCY_TABLE_LAYOUT,
  },
];
