import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as z from 'zod';
import {
  AggregateInputSchema,
  FinalizeInputSchema,
  ListPartitionsInputSchema,
  PublishInputSchema,
  QuarantineInputSchema,
  ReconcileInputSchema,
  ResultWriterManifestSchema,
  TransformBatchInputSchema,
  TransformInputSchema,
  ValidateInputSchema,
  ValidateOutputSchema,
} from '../../src';

// One valid fixture per state input/output (tests/events/<domain>/<contract>.json); each broken
// case clones it, changes one field and names the issue zod must report.

type Json = Record<string, unknown>;
/** A change to one field of a fresh copy of the fixture. */
type Break = [
  what: string,
  change: (fixture: Json) => void,
  issue: { path: string; message: string },
];

const fixture = (file: string): Json =>
  JSON.parse(readFileSync(join(__dirname, '../events', file), 'utf8'));
const at = (value: unknown, ...path: (string | number)[]) =>
  path.reduce((v, k) => (v as Record<string | number, unknown>)[k], value) as Json;

const contracts: [
  name: string,
  schema: z.ZodType,
  file: string,
  parsed: (f: Json) => unknown,
  breaks: Break[],
][] = [
  [
    'ValidateInputSchema',
    ValidateInputSchema,
    'media/validate-input.json',
    // The input transformer writes null for the missing version id: it is dropped.
    (f) => ({ ...f, object: { ...(f.object as Json), versionId: undefined } }),
    [
      [
        'an empty key',
        (f) => (at(f, 'object').key = ''),
        { path: 'object.key', message: 'Too small: expected string to have >=1 characters' },
      ],
      [
        'a 2-character bucket',
        (f) => (at(f, 'object').bucket = 'ab'),
        { path: 'object.bucket', message: 'Too small: expected string to have >=3 characters' },
      ],
      [
        'a negative size',
        (f) => (at(f, 'object').size = -1),
        { path: 'object.size', message: 'Too small: expected number to be >=0' },
      ],
    ],
  ],
  [
    'ValidateOutputSchema',
    ValidateOutputSchema,
    'media/validate-output.json',
    (f) => f,
    [
      [
        'an upper-case mediaId',
        (f) => (f.mediaId = '0123456789ABCDEF'),
        { path: 'mediaId', message: 'must be 16 lowercase hex digits' },
      ],
      [
        'a prefix without its slash',
        (f) => (f.derivedPrefix = 'derived/0123456789abcdef'),
        { path: 'derivedPrefix', message: 'must be derived/<mediaId>/' },
      ],
      [
        'an accepted empty file',
        (f) => (f.size = 0),
        { path: 'size', message: 'Too small: expected number to be >0' },
      ],
    ],
  ],
  [
    'FinalizeInputSchema',
    FinalizeInputSchema,
    'media/finalize-input.json',
    (f) => f,
    [
      [
        'an unknown kind',
        (f) => (f.kind = 'audio'),
        { path: 'kind', message: 'Invalid option: expected one of "image"|"video"' },
      ],
      [
        'no mediaId',
        (f) => delete f.mediaId,
        { path: 'mediaId', message: 'Invalid input: expected string, received undefined' },
      ],
    ],
  ],
  [
    'QuarantineInputSchema',
    QuarantineInputSchema,
    'media/quarantine-input.json',
    (f) => ({
      ...f,
      input: {
        ...(f.input as Json),
        object: { bucket: 'slipway-dev-media-111111111111', key: 'uploads/bomb.png' },
      },
    }),
    [
      [
        'a branch error without its name',
        (f) => delete at(f, 'input', 'outputs', 'branches', 0, 'error').Error,
        {
          path: 'input.outputs.branches.0.error.Error',
          message: 'Invalid input: expected string, received undefined',
        },
      ],
      [
        'no object',
        (f) => delete at(f, 'input').object,
        { path: 'input.object', message: 'Invalid input: expected object, received undefined' },
      ],
    ],
  ],
  [
    'ListPartitionsInputSchema',
    ListPartitionsInputSchema,
    'etl/list-partitions-input.json',
    (f) => f,
    [
      [
        'a source that is a path',
        (f) => (f.source = 'lms/2026'),
        { path: 'source', message: 'a source folder name under raw/' },
      ],
      [
        'an empty runId',
        (f) => (f.runId = ''),
        { path: 'runId', message: 'Too small: expected string to have >=1 characters' },
      ],
    ],
  ],
  [
    'TransformInputSchema',
    TransformInputSchema,
    'etl/transform-input.json',
    (f) => f,
    [
      [
        'an impossible day',
        (f) => (f.date = '2026-02-30'),
        { path: 'date', message: 'must be a real calendar date' },
      ],
      [
        'an asOf without offset',
        (f) => (f.asOf = '2026-03-02T01:30:04'),
        { path: 'asOf', message: 'Invalid ISO datetime' },
      ],
    ],
  ],
  [
    'TransformBatchInputSchema',
    TransformBatchInputSchema,
    'etl/transform-batch-input.json',
    (f) => f,
    [
      [
        'an empty batch',
        (f) => (f.Items = []),
        { path: 'Items', message: 'Too small: expected array to have >=1 items' },
      ],
      [
        'an item without size',
        (f) => delete at(f, 'Items', 1).size,
        { path: 'Items.1.size', message: 'Invalid input: expected number, received undefined' },
      ],
      [
        'a BatchInput without asOf',
        (f) => delete at(f, 'BatchInput').asOf,
        { path: 'BatchInput.asOf', message: 'Invalid input: expected string, received undefined' },
      ],
    ],
  ],
  [
    'AggregateInputSchema',
    AggregateInputSchema,
    'etl/aggregate-input.json',
    (f) => f,
    [
      [
        'the Transform outputs inline instead of the Map results on S3',
        (f) => (f.transforms = []),
        { path: 'transforms', message: 'Invalid input: expected object, received array' },
      ],
      [
        'results without the manifest key',
        (f) => delete at(f, 'transforms', 'ResultWriterDetails').Key,
        {
          path: 'transforms.ResultWriterDetails.Key',
          message: 'Invalid input: expected string, received undefined',
        },
      ],
    ],
  ],
  [
    'ResultWriterManifestSchema',
    ResultWriterManifestSchema,
    'etl/result-writer-manifest.json',
    (f) => f,
    [
      [
        'a result file without size',
        (f) => delete at(f, 'ResultFiles', 'SUCCEEDED', 0).Size,
        {
          path: 'ResultFiles.SUCCEEDED.0.Size',
          message: 'Invalid input: expected number, received undefined',
        },
      ],
    ],
  ],
  [
    'PublishInputSchema',
    PublishInputSchema,
    'etl/publish-input.json',
    (f) => f,
    [
      [
        'an unknown table',
        (f) => (at(f, 'aggregate', 'tables', 0).table = 'daily'),
        {
          path: 'aggregate.tables.0.table',
          message: 'Invalid option: expected one of "course_daily"|"learner_progress"',
        },
      ],
    ],
  ],
  [
    'ReconcileInputSchema',
    ReconcileInputSchema,
    'etl/reconcile-input.json',
    (f) => f,
    [
      [
        'an upper-case manifest hash',
        (f) => (at(f, 'publish', 'manifest').sha256 = 'A'.repeat(64)),
        {
          path: 'publish.manifest.sha256',
          message: 'Invalid string: must match pattern /^[0-9a-f]{64}$/',
        },
      ],
      [
        'no bucket',
        (f) => delete f.bucket,
        { path: 'bucket', message: 'Invalid input: expected string, received undefined' },
      ],
      [
        'no object count',
        (f) => delete f.objects,
        { path: 'objects', message: 'Invalid input: expected number, received undefined' },
      ],
    ],
  ],
];

describe.each(contracts)('%s', (_name, schema, file, parsed, breaks) => {
  it(`accepts ${file}`, () => {
    expect(schema.parse(fixture(file))).toEqual(parsed(fixture(file)));
  });

  it.each(breaks)('refuses %s', (_what, change, issue) => {
    // Prepare
    const broken = fixture(file);
    change(broken);

    // Act
    const result = schema.safeParse(broken);

    // Assess
    expect(result.success).toBe(false);
    expect(
      result.error!.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    ).toEqual([issue]);
  });
});
