import './support/env';
import { createHash } from 'node:crypto';
import type { Context } from 'aws-lambda';
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { CuratedManifestSchema } from '@slipway/events';
import { handler } from '../../src/handler';

const s3 = mockClient(S3Client);
/** The part of an SDK response body the code reads. */
const sdkBody = (bytes: Buffer) =>
  ({
    transformToByteArray: async () => new Uint8Array(bytes),
  }) as unknown as GetObjectCommandOutput['Body'];
const context = { awsRequestId: 'req-1', functionName: 'slipway-dev-etl-publish' } as Context;
const tables: Record<string, Buffer> = {
  'staging/_aggregate/dt=2026-03-01/course_daily.parquet': Buffer.from('course-bytes'),
  'staging/_aggregate/dt=2026-03-01/learner_progress.parquet': Buffer.from('learner-bytes'),
};
const aggregate = {
  date: '2026-03-01',
  tables: [
    {
      table: 'learner_progress',
      key: 'staging/_aggregate/dt=2026-03-01/learner_progress.parquet',
      rows: 2,
    },
    {
      table: 'course_daily',
      key: 'staging/_aggregate/dt=2026-03-01/course_daily.parquet',
      rows: 1,
    },
  ],
  counts: { stagingFiles: 1, stagingRows: 3, events: 3, crossObjectDuplicates: 0 },
};
const hex = (b: Buffer | Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('etl-publish handler', () => {
  beforeEach(() => {
    s3.reset();
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    s3.on(PutObjectCommand).resolves({});
    s3.on(GetObjectCommand).callsFake(({ Key }: { Key: string }) => ({
      Body: sdkBody(tables[Key]),
    }));
  });

  it('writes every curated file, then the manifest last, listing each file with rows and SHA-256', async () => {
    // Act
    const out = await handler({ aggregate }, context);

    // Assess
    const puts = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(puts.map((p) => p.Key)).toEqual([
      'curated/course_daily/dt=2026-03-01/part-00000.parquet',
      'curated/learner_progress/dt=2026-03-01/part-00000.parquet',
      'curated/_manifest/dt=2026-03-01/_manifest.json',
    ]);
    const manifest = CuratedManifestSchema.parse(
      JSON.parse(Buffer.from(puts[2].Body as Uint8Array).toString('utf8')),
    );
    expect(manifest.files.map((f) => [f.table, f.rows, f.sha256])).toEqual([
      ['course_daily', 1, hex(tables['staging/_aggregate/dt=2026-03-01/course_daily.parquet'])],
      [
        'learner_progress',
        2,
        hex(tables['staging/_aggregate/dt=2026-03-01/learner_progress.parquet']),
      ],
    ]);
    expect(out.manifest).toEqual({
      key: 'curated/_manifest/dt=2026-03-01/_manifest.json',
      sha256: hex(puts[2].Body as Uint8Array),
    });
    expect(out.bucket).toBe('slipway-dev-data-111111111111');
  });

  it('writes nothing when a table cannot be read', async () => {
    // Prepare
    s3.on(GetObjectCommand).rejects(new Error('AccessDenied'));

    // Act + Assess
    await expect(handler({ aggregate }, context)).rejects.toThrow('AccessDenied');
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });
});
