import { createHash } from 'node:crypto';
import { CuratedManifestSchema } from '@slipway/events';
import { EtlInputError, publishPlan, type CuratedTable } from '../../src';

const tables: CuratedTable[] = [
  { table: 'learner_progress', rows: 3, bytes: new Uint8Array([1, 2, 3]) },
  { table: 'course_daily', rows: 2, bytes: new Uint8Array([4, 5]) },
];
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('publishPlan', () => {
  it('puts each table under curated/<table>/dt=/part-00000.parquet and the manifest last', () => {
    // Act
    const plan = publishPlan('2026-03-01', tables);

    // Assess
    expect(plan.puts.map((p) => p.key)).toEqual([
      'curated/course_daily/dt=2026-03-01/part-00000.parquet',
      'curated/learner_progress/dt=2026-03-01/part-00000.parquet',
      'curated/_manifest/dt=2026-03-01/_manifest.json',
    ]);
    const manifest = CuratedManifestSchema.parse(
      JSON.parse(Buffer.from(plan.puts[2].body).toString('utf8')),
    );
    expect(manifest.files).toEqual([
      {
        table: 'course_daily',
        key: plan.puts[0].key,
        rows: 2,
        bytes: 2,
        sha256: sha(tables[1].bytes),
      },
      {
        table: 'learner_progress',
        key: plan.puts[1].key,
        rows: 3,
        bytes: 3,
        sha256: sha(tables[0].bytes),
      },
    ]);
    expect(plan.output.manifest).toEqual({ key: plan.puts[2].key, sha256: sha(plan.puts[2].body) });
  });

  it('holds no timestamp or run id, so the same tables give the same manifest bytes', () => {
    // Act
    const [a, b] = [
      publishPlan('2026-03-01', tables),
      publishPlan('2026-03-01', [...tables].reverse()),
    ];

    // Assess
    expect(Buffer.from(a.puts[2].body).equals(Buffer.from(b.puts[2].body))).toBe(true);
    expect(Buffer.from(a.puts[2].body).toString()).not.toMatch(/\d{2}:\d{2}/);
  });

  it('refuses an invalid date and a table given twice', () => {
    expect(() => publishPlan('2026-02-30', tables)).toThrow(EtlInputError);
    expect(() => publishPlan('2026-03-01', [tables[0], tables[0]])).toThrow(/once per day/);
  });
});
