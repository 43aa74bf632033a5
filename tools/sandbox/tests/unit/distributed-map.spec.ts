/**
 * The sandbox's Distributed Map (src/distributed-map.ts): batching, tolerated failures and the
 * Task the interpreter runs instead of the Map, then a whole Map Run through LocalFlow with a
 * stand-in function (fixtures/distributed-map.asl.json; items from the input, no S3).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AslDefinition } from '@slipway/flows';
import {
  batchesOf,
  exceedsTolerance,
  extractDistributedMaps,
  type DistributedMapSpec,
} from '../../src/distributed-map';
import { LocalEventBus, LocalFlow, type InvokeResult, type LocalLambda } from '../../src';

const definition: AslDefinition = JSON.parse(
  readFileSync(join(__dirname, '../fixtures/distributed-map.asl.json'), 'utf8'),
);
const spec = (overrides: Partial<DistributedMapSpec> = {}): DistributedMapSpec => ({
  state: 'Each',
  processor: { StartAt: 'Work', States: {} },
  maxConcurrency: 2,
  batched: true,
  writesResults: false,
  ...overrides,
});

describe('batchesOf', () => {
  it.each<[string, Partial<DistributedMapSpec>, unknown[]]>([
    [
      'MaxItemsPerBatch',
      { maxItemsPerBatch: 2 },
      [
        { Items: [1, 2], BatchInput: { t: 1 } },
        { Items: [3], BatchInput: { t: 1 } },
      ],
    ],
    // {"Items":[1,2],"BatchInput":{"t":1}} is 36 bytes: a third item would make 38.
    [
      'MaxInputBytesPerBatch',
      { maxInputBytesPerBatch: 36 },
      [
        { Items: [1, 2], BatchInput: { t: 1 } },
        { Items: [3], BatchInput: { t: 1 } },
      ],
    ],
    ['no limit', {}, [{ Items: [1, 2, 3], BatchInput: { t: 1 } }]],
  ])(
    'groups consecutive items by %s, each batch with the BatchInput',
    (_what, limits, expected) => {
      expect(batchesOf(spec(limits), [1, 2, 3], { t: 1 })).toEqual(expected);
    },
  );

  it('gives one item per child execution without an ItemBatcher', () => {
    expect(batchesOf(spec({ batched: false }), [1, 2], undefined)).toEqual([1, 2]);
  });

  it('refuses an item that alone exceeds MaxInputBytesPerBatch, saying so', () => {
    expect(() => batchesOf(spec({ maxInputBytesPerBatch: 10 }), ['long item'], undefined)).toThrow(
      'Each: one item makes a batch of 23 bytes, over MaxInputBytesPerBatch 10.',
    );
  });
});

describe('exceedsTolerance', () => {
  it.each<[Partial<DistributedMapSpec>, number, boolean]>([
    [{}, 0, false],
    [{}, 1, true],
    [{ toleratedFailurePercentage: 0 }, 1, true],
    [{ toleratedFailurePercentage: 10 }, 1, false],
    [{ toleratedFailurePercentage: 10 }, 2, true],
    [{ toleratedFailureCount: 1 }, 1, false],
    [{ toleratedFailureCount: 1, toleratedFailurePercentage: 50 }, 2, true],
  ])('%j with %i of 10 failed: %s', (tolerance, failed, exceeded) => {
    expect(exceedsTolerance(spec(tolerance), failed, 10)).toBe(exceeded);
  });
});

describe('extractDistributedMaps', () => {
  it('replaces the Map by a Task carrying its parameters, ResultPath and Catch', () => {
    // Act
    const { definition: replaced, maps } = extractDistributedMaps(definition);

    // Assess
    expect(replaced.States.Each).toEqual({
      Type: 'Task',
      Resource: 'arn:aws:states:::sandbox:distributedMap',
      Parameters: { 'Items.$': '$.items', BatchInput: { 'tag.$': '$.tag' } },
      TimeoutSeconds: 2_000_000,
      ResultPath: '$.sums',
      Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }],
      End: true,
    });
    expect(maps.get('Each')).toMatchObject({
      maxConcurrency: 2,
      maxItemsPerBatch: 2,
      toleratedFailureCount: 1,
      batched: true,
      writesResults: false,
    });
    expect(maps.get('Each')!.toleratedFailurePercentage).toBeUndefined();
  });

  it('refuses a field it does not emulate, naming it', () => {
    // Prepare
    const broken = JSON.parse(JSON.stringify(definition)) as AslDefinition;
    broken.States.Each.ItemSelector = { 'value.$': '$$.Map.Item.Value' };

    // Act + Assess
    expect(() => extractDistributedMaps(broken)).toThrow(
      "Each: the sandbox's Distributed Map does not emulate ItemSelector",
    );
  });
});

describe('LocalFlow: a Distributed Map', () => {
  /** Sums a batch; a batch holding 13 fails. */
  const worker = {
    invoke: async (event: unknown): Promise<InvokeResult> => {
      const { Items, BatchInput } = event as { Items: number[]; BatchInput: { tag: string } };
      if (Items.includes(13))
        return {
          ok: false,
          error: { errorType: 'Unlucky', errorMessage: `13 in ${BatchInput.tag}`, trace: [] },
        } as unknown as InvokeResult;
      return { ok: true, result: { sum: Items.reduce((a, b) => a + b, 0) } } as InvokeResult;
    },
  } as unknown as LocalLambda;
  const flow = () =>
    new LocalFlow({ definition, lambdas: new Map([['worker', worker]]), bus: new LocalEventBus() });

  it('runs one child execution per batch and returns their outputs in batch order', async () => {
    // Act
    const record = await flow().run({ items: [1, 2, 3, 4, 5], tag: 'a' });

    // Assess
    expect(record.status).toBe('SUCCEEDED');
    expect((record.output as { sums: unknown }).sums).toEqual([{ sum: 3 }, { sum: 7 }, { sum: 5 }]);
    expect(record.mapRuns.map((r) => [r.state, r.status, r.items, r.executions.length])).toEqual([
      ['Each', 'SUCCEEDED', 5, 3],
    ]);
    expect(record.mapRuns[0].executions.map((e) => e.input).sort()).toEqual(
      [
        { Items: [1, 2], BatchInput: { tag: 'a' } },
        { Items: [3, 4], BatchInput: { tag: 'a' } },
        { Items: [5], BatchInput: { tag: 'a' } },
      ].sort(),
    );
    expect(record.path.map((p) => [p.state, p.type, p.status])).toEqual([
      ['Each', 'Map', 'succeeded'],
    ]);
  });

  it('tolerates one failed batch (ToleratedFailureCount 1) and fails the Map at the second', async () => {
    // Act
    const tolerated = await flow().run({ items: [13, 1, 2, 3], tag: 'b' });
    const failed = await flow().run({ items: [13, 1, 13, 3], tag: 'c' });

    // Assess: the failed batch's output is null, as a failed child has no Output.
    expect(tolerated.status).toBe('SUCCEEDED');
    expect((tolerated.output as { sums: unknown }).sums).toEqual([null, { sum: 5 }]);
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toEqual({ error: 'MapFailed', cause: 'see history' });
    expect(
      failed.path.filter((p) => p.state === 'Each' && p.status === 'failed').map((p) => p.error),
    ).toEqual(['States.ExceedToleratedFailureThreshold']);
    expect(failed.mapRuns[0].status).toBe('FAILED');
  });
});
