import type { Context } from 'aws-lambda';
import { EventParseError } from '@slipway/events';
import { ReconciliationError } from '@slipway/etl';
import { handler } from '../../src/handler';

const context = { awsRequestId: 'req-1', functionName: 'slipway-dev-etl-reconcile' } as Context;
const sha = 'a'.repeat(64);
const input = () => ({
  date: '2026-03-01',
  bucket: 'slipway-dev-data-111111111111',
  runId: 'run-1',
  transforms: [
    {
      key: 'raw/lms/dt=2026-03-01/a.ndjson',
      counts: { input: 10, valid: 7, rejected: 2, duplicates: 1 },
      stagingKey: 'staging/lms/dt=2026-03-01/a.ndjson.parquet',
    },
    {
      key: 'raw/lms/dt=2026-03-01/b.ndjson.gz',
      counts: { input: 0, valid: 0, rejected: 0, duplicates: 0 },
      objectError: { code: 'TRUNCATED_GZIP', message: 'truncated' },
    },
  ],
  aggregate: {
    date: '2026-03-01',
    tables: [],
    counts: { stagingFiles: 1, stagingRows: 7, events: 7, crossObjectDuplicates: 0 },
  },
  publish: {
    date: '2026-03-01',
    files: [],
    manifest: { key: 'curated/_manifest/dt=2026-03-01/_manifest.json', sha256: sha },
  },
});

describe('etl-reconcile handler', () => {
  beforeEach(() => {
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });

  it('balances the day and returns the EtlCompleted detail', async () => {
    // Act
    const out = await handler(input(), context);

    // Assess
    expect(out.reconcile.balanced).toBe(true);
    expect(out.completed).toEqual({
      date: '2026-03-01',
      runId: 'run-1',
      counts: {
        objects: 2,
        objectErrors: 1,
        input: 10,
        valid: 7,
        rejected: 2,
        duplicates: 1,
        crossObjectDuplicates: 0,
        events: 7,
      },
      manifest: {
        bucket: 'slipway-dev-data-111111111111',
        key: 'curated/_manifest/dt=2026-03-01/_manifest.json',
        sha256: sha,
      },
    });
  });

  it('fails the run naming the object whose rows do not add up', async () => {
    // Prepare: one row lost between input and the outcomes.
    const broken = input();
    broken.transforms[0].counts.valid = 6;

    // Act + Assess
    await expect(handler(broken, context)).rejects.toThrow(ReconciliationError);
    await expect(handler(broken, context)).rejects.toThrow('raw/lms/dt=2026-03-01/a.ndjson');
  });

  it('refuses an input without the Publish output', async () => {
    const { publish: _publish, ...missing } = input();
    await expect(handler(missing, context)).rejects.toBeInstanceOf(EventParseError);
  });
});
