/**
 * readMapResults: the Transform Map's results as Step Functions' ResultWriter leaves them on S3
 * (fixtures/map-results: manifest.json and SUCCEEDED_0.json in AWS's documented layout). S3 is
 * aws-sdk-client-mock; each broken case clones the valid files and changes one thing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, type GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { EtlMapResultsError, readMapResults } from '../../src';

process.env.AWS_REGION ??= 'eu-west-1';
const s3mock = mockClient(S3Client);
const s3 = new S3Client({ region: 'eu-west-1' });
const RUN =
  'staging/_runs/2026-03-01/nightly-2026-03-02/results/5f0a9c64-1d1e-4a51-9d4c-2b7c1f3e8a10';
const MANIFEST_KEY = `${RUN}/manifest.json`;
const RESULTS = {
  MapRunArn:
    'arn:aws:states:eu-west-1:111111111111:mapRun:slipway-dev-etl/TransformObjects:5f0a9c64-1d1e-4a51-9d4c-2b7c1f3e8a10',
  ResultWriterDetails: { Bucket: 'slipway-dev-data-111111111111', Key: MANIFEST_KEY },
};
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures are edited freely
const fixture = (name: string): Json =>
  JSON.parse(readFileSync(join(__dirname, 'fixtures/map-results', name), 'utf8'));

/** Serves the given files (by key) as S3 objects. */
function serve(files: Record<string, unknown>): void {
  s3mock.on(GetObjectCommand).callsFake(({ Key }: { Key: string }) => {
    if (!(Key in files)) throw Object.assign(new Error(`NoSuchKey ${Key}`), { name: 'NoSuchKey' });
    const text =
      typeof files[Key] === 'string' ? (files[Key] as string) : JSON.stringify(files[Key]);
    return {
      Body: { transformToString: async () => text } as unknown as GetObjectCommandOutput['Body'],
    };
  });
}
const valid = () => ({
  [MANIFEST_KEY]: fixture('manifest.json'),
  [`${RUN}/SUCCEEDED_0.json`]: fixture('SUCCEEDED_0.json'),
});

describe('readMapResults', () => {
  beforeEach(() => s3mock.reset());

  it('returns every Transform output of every batch, sorted by object key', async () => {
    // Prepare
    serve(valid());

    // Act
    const outputs = await readMapResults(s3, RESULTS);

    // Assess
    expect(outputs.map((o) => [o.key, o.counts.input, o.objectError?.code])).toEqual([
      ['raw/lms/dt=2026-03-01/a.ndjson', 2, undefined],
      ['raw/lms/dt=2026-03-01/b.ndjson', 4, undefined],
      ['raw/lms/dt=2026-03-01/c.ndjson.gz', 0, 'TRUNCATED_GZIP'],
    ]);
    expect(s3mock.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key)).toEqual([
      MANIFEST_KEY,
      `${RUN}/SUCCEEDED_0.json`,
    ]);
  });

  it.each<[string, (files: Record<string, Json>) => void, string]>([
    [
      'a FAILED result file',
      (f) => f[MANIFEST_KEY].ResultFiles.FAILED.push({ Key: `${RUN}/FAILED_0.json`, Size: 10 }),
      `The Map results manifest s3://slipway-dev-data-111111111111/${MANIFEST_KEY} lists 1 FAILED and 0 PENDING result file(s) (${RUN}/FAILED_0.json): some batches did not transform their objects. Do not publish this run: read those files for the errors and rerun the day.`,
    ],
    [
      'a PENDING result file',
      (f) => f[MANIFEST_KEY].ResultFiles.PENDING.push({ Key: `${RUN}/PENDING_0.json`, Size: 10 }),
      'lists 0 FAILED and 1 PENDING result file(s)',
    ],
    [
      'a child execution that did not succeed',
      (f) => (f[`${RUN}/SUCCEEDED_0.json`][1].Status = 'ABORTED'),
      'arn:aws:states:eu-west-1:111111111111:execution:slipway-dev-etl/TransformObjects:b7c2a1f0-0002 in s3://slipway-dev-data-111111111111/' +
        `${RUN}/SUCCEEDED_0.json is ABORTED: its objects were not transformed. Rerun the day.`,
    ],
    [
      'an object reported by two batches',
      (f) => {
        const file = f[`${RUN}/SUCCEEDED_0.json`];
        file[1].Output = file[0].Output;
      },
      'hold more than one output for raw/lms/dt=2026-03-01/b.ndjson, raw/lms/dt=2026-03-01/c.ndjson.gz',
    ],
    [
      'an Output that is not a batch output',
      (f) => (f[`${RUN}/SUCCEEDED_0.json`][0].Output = '[]'),
      "is not what Step Functions' ResultWriter writes: ✖ Invalid input: expected object, received array",
    ],
    [
      'a manifest without ResultFiles',
      (f) => delete f[MANIFEST_KEY].ResultFiles,
      '✖ Invalid input: expected object, received undefined\n  → at ResultFiles',
    ],
  ])('refuses %s, saying what to do', async (_what, change, message) => {
    // Prepare
    const files = valid();
    change(files);
    serve(files);

    // Act
    const read = readMapResults(s3, RESULTS);

    // Assess
    await expect(read).rejects.toBeInstanceOf(EtlMapResultsError);
    await expect(read).rejects.toThrow(message);
  });
});
