import * as DynamoDb from '@aws-sdk/client-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';

type Item = Record<string, AttributeValue>;

/**
 * Mocked DynamoDB clients that keep items by their `id` in a Map, for Powertools' real
 * DynamoDBPersistenceLayer in unit tests (no network). It understands exactly the calls that
 * layer makes: its conditional PutItem (refused on a live item), GetItem,
 * UpdateItem's `SET` of attribute values, and DeleteItem. The sandbox's integration tests run
 * the same layer against a real DynamoDB emulator.
 */
export function fakeDynamoDb(
  options: {
    /** The SDK module whose clients to fake (a handler test's own, after jest.resetModules). */
    sdk?: typeof DynamoDb;
    nowSeconds?: () => number;
  } = {},
) {
  const sdk = options.sdk ?? DynamoDb;
  const nowSeconds = options.nowSeconds ?? (() => Date.now() / 1000);
  const { ConditionalCheckFailedException, DeleteItemCommand, GetItemCommand } = sdk;
  const { PutItemCommand, UpdateItemCommand } = sdk;
  const items = new Map<string, Item>();
  // Every client of the module, so a handler's own client is faked too.
  const mock = mockClient(sdk.DynamoDBClient);
  const client = new sdk.DynamoDBClient({ region: 'eu-west-1' });
  const key = (k: Item | undefined) => k?.id?.S ?? '';
  mock.on(PutItemCommand).callsFake((input: { Item: Item }) => {
    // The layer's condition: no item, or an expired one, or an in-progress one whose
    // invocation has timed out (in_progress_expiration, in milliseconds).
    const existing = items.get(key(input.Item));
    const expired = existing && Number(existing.expiration?.N ?? 0) < nowSeconds();
    const abandoned =
      existing?.status?.S === 'INPROGRESS' &&
      existing.in_progress_expiration?.N !== undefined &&
      Number(existing.in_progress_expiration.N) < nowSeconds() * 1000;
    if (existing && !expired && !abandoned) {
      throw new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        Item: existing,
      });
    }
    items.set(key(input.Item), input.Item);
    return {};
  });
  mock.on(GetItemCommand).callsFake((input: { Key: Item }) => {
    const item = items.get(key(input.Key));
    return item ? { Item: item } : {};
  });
  mock
    .on(UpdateItemCommand)
    .callsFake(
      (input: {
        Key: Item;
        ExpressionAttributeNames: Record<string, string>;
        ExpressionAttributeValues: Item;
        UpdateExpression: string;
      }) => {
        const item = { ...items.get(key(input.Key)) } as Item;
        for (const set of input.UpdateExpression.replace(/^SET /, '').split(', ')) {
          const [name, value] = set.split(' = ');
          item[input.ExpressionAttributeNames[name]] = input.ExpressionAttributeValues[value];
        }
        items.set(key(input.Key), item);
        return {};
      },
    );
  mock.on(DeleteItemCommand).callsFake((input: { Key: Item }) => {
    items.delete(key(input.Key));
    return {};
  });
  return { client, items, mock };
}
