import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import type { GlobalSecondaryIndexSpec, TableSpec } from '@slipway/manifest';

/**
 * The sandbox's DynamoDB: dynalite (DynamoDB's API over LevelDB, in memory here) on 127.0.0.1,
 * with the tables the manifests name created from their declarations (libs/manifest `TABLES`),
 * global secondary indexes included.
 * The Lambdas reach it through the SDK's service-specific endpoint variable
 * {@link DYNAMODB_ENDPOINT_ENV}, so their code (Powertools Idempotency's persistence layer) is the
 * deployed code. dynalite implements no TTL deletion: an expired item stays, and Powertools
 * treats it as expired by its `expiration` attribute, as it does in AWS before the sweep.
 */

/** The AWS SDKs' endpoint override for DynamoDB (service id `DynamoDB`). */
export const DYNAMODB_ENDPOINT_ENV = 'AWS_ENDPOINT_URL_DYNAMODB';

/** A running local DynamoDB. */
export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** Real table names by logical name. */
  tables: Record<string, string>;
  /** A client on this server (for assertions), with the sandbox's credentials. */
  client: DynamoDBClient;
  close(): Promise<void>;
}

/**
 * Starts dynalite and creates `tables` (logical spec → real name).
 *
 * @example
 * const db = await startLocalDynamoDb({ tables: [[spec, 'slipway-local-edge-idempotency']], region, credentials });
 * process.env[DYNAMODB_ENDPOINT_ENV] = db.endpoint;
 */
export async function startLocalDynamoDb(options: {
  tables: readonly (readonly [TableSpec, string])[];
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: options.region,
    credentials: options.credentials,
  });
  const close = async () => {
    client.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  try {
    for (const [spec, name] of options.tables) {
      const keys = keysOf(spec);
      const indexes = (spec.globalSecondaryIndexes ?? []).map((index) => ({
        index,
        keys: keysOf(index),
      }));
      // Every key attribute of the table and its indexes, once (DynamoDB refuses a repeat).
      const attributes = new Map(
        [...keys, ...indexes.flatMap((i) => i.keys)].map((k) => [k.AttributeName, k]),
      );
      await client.send(
        new CreateTableCommand({
          TableName: name,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [...attributes.values()],
          KeySchema: keySchema(keys),
          ...(indexes.length
            ? {
                GlobalSecondaryIndexes: indexes.map(({ index, keys }) => ({
                  IndexName: index.name,
                  KeySchema: keySchema(keys),
                  Projection: { ProjectionType: index.projection ?? 'ALL' },
                })),
              }
            : {}),
        }),
      );
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    endpoint,
    tables: Object.fromEntries(options.tables.map(([spec, name]) => [spec.name, name])),
    client,
    close,
  };
}

/** The key attributes of a table or index, hash first. */
function keysOf(spec: TableSpec | GlobalSecondaryIndexSpec) {
  return [
    { AttributeName: spec.hashKey, AttributeType: spec.hashKeyType },
    ...(spec.rangeKey
      ? [{ AttributeName: spec.rangeKey, AttributeType: spec.rangeKeyType ?? 'S' }]
      : []),
  ];
}

function keySchema(keys: { AttributeName: string }[]) {
  return keys.map((k, i) => ({
    AttributeName: k.AttributeName,
    KeyType: i === 0 ? ('HASH' as const) : ('RANGE' as const),
  }));
}
