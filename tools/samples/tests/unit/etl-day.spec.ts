import { aggregateDay, publishPlan, reconcile } from '@slipway/etl';
import { generateDay, generateNdjson, generateSmallObjectsDay } from '../../src';
import { transformDay } from './support/day';

describe('generateDay', () => {
  it('produces objects whose Transform results match the expected counts and rejected lines exactly', async () => {
    // Prepare
    const day = generateDay('2026-03-01', { rows: 200, seed: 7 });

    // Act
    const { outputs, quarantine } = await transformDay(day);

    // Assess
    for (const object of day.objects) {
      const output = outputs.find((o) => o.key === object.key);
      expect({ key: object.key, counts: output?.counts, error: output?.objectError?.code }).toEqual(
        {
          key: object.key,
          counts: object.expected.counts,
          error: object.expected.objectError,
        },
      );
      if (!object.expected.objectError) {
        expect(quarantine[object.key].map((r) => ({ line: r.line, code: r.code }))).toEqual(
          object.expected.rejections,
        );
      }
    }
  });

  it('covers every bad-input case of the issue', () => {
    // Act
    const day = generateDay('2026-03-01', { rows: 50 });

    // Assess
    const codes = new Set(day.objects.flatMap((o) => o.expected.rejections.map((r) => r.code)));
    expect([...codes].sort()).toEqual([
      'CSV_COLUMN_COUNT',
      'CSV_MALFORMED',
      'FUTURE_TIMESTAMP',
      'LINE_TOO_LONG',
      'MALFORMED_JSON',
      'NOT_UTF8',
      'OUTSIDE_PARTITION',
      'SCHEMA',
    ]);
    expect(
      day.objects
        .map((o) => o.expected.objectError)
        .filter(Boolean)
        .sort(),
    ).toEqual(['CSV_HEADER', 'TRUNCATED_GZIP']);
    expect(day.objects.some((o) => o.expected.counts.duplicates > 0)).toBe(true);
    expect(day.objects.some((o) => o.expected.crossObjectDuplicates > 0)).toBe(true);
    expect(day.objects.some((o) => o.expected.counts.input === 0 && !o.expected.objectError)).toBe(
      true,
    );
  });

  it('is deterministic for a seed and different for another', async () => {
    // Prepare
    const read = async (seed: number) => {
      const chunks: Buffer[] = [];
      for await (const chunk of generateNdjson({ date: '2026-03-01', rows: 100, seed }))
        chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    };

    // Act
    const [a, b, c] = [await read(1), await read(1), await read(2)];

    // Assess
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
    expect(a.toString().trim().split('\n')).toHaveLength(100);
  });

  it('gives the day totals that Aggregate and Reconcile find', async () => {
    // Prepare
    const day = generateDay('2026-03-01', { rows: 120, seed: 3 });
    const { outputs, staging } = await transformDay(day);

    // Act
    const aggregate = await aggregateDay(staging);
    const reconciled = reconcile(outputs, { date: day.date, aggregate: aggregate.counts });

    // Assess
    expect(reconciled.counts).toEqual(day.expected);
  });
});

describe('generateSmallObjectsDay', () => {
  it('gives objects and day totals that Transform, Aggregate and Reconcile find exactly', async () => {
    // Prepare: 60 objects: bad rows in 0, 10, …, 50; cross-object repeats in 25 and 50.
    const day = generateSmallObjectsDay('2026-03-10', { objects: 60, seed: 5 });

    // Act
    const { outputs, staging, quarantine } = await transformDay(day);
    const aggregate = await aggregateDay(staging);
    const reconciled = reconcile(outputs, { date: day.date, aggregate: aggregate.counts });

    // Assess
    expect(day.expected).toEqual({
      objects: 60,
      objectErrors: 0,
      input: 194,
      valid: 182,
      rejected: 6,
      duplicates: 6,
      crossObjectDuplicates: 2,
      events: 180,
    });
    expect(reconciled.counts).toEqual(day.expected);
    for (const object of day.objects) {
      expect({
        key: object.key,
        counts: outputs.find((o) => o.key === object.key)?.counts,
      }).toEqual({ key: object.key, counts: object.expected.counts });
      expect(quarantine[object.key].map((r) => ({ line: r.line, code: r.code }))).toEqual(
        object.expected.rejections,
      );
    }
    expect(day.objects.slice(0, 2).map((o) => o.key)).toEqual([
      'raw/lms/dt=2026-03-10/small-00000.ndjson',
      'raw/lms/dt=2026-03-10/small-00001.ndjson',
    ]);
  });

  it('refuses a count that is not a positive integer, naming it', () => {
    expect(() => generateSmallObjectsDay('2026-03-10', { objects: 0 })).toThrow(
      'objects must be a positive integer, got 0.',
    );
  });
});

describe('the ETL over a generated day', () => {
  it('gives byte-identical staging, curated files and manifest for the same input', async () => {
    // Prepare
    const run = async () => {
      const day = generateDay('2026-03-01', { rows: 500, seed: 11 });
      const { staging } = await transformDay(day);
      const { tables } = await aggregateDay(staging);
      return { staging, plan: publishPlan(day.date, tables) };
    };

    // Act
    const [a, b] = [await run(), await run()];

    // Assess
    expect(a.staging.map((s) => s.toString('base64'))).toEqual(
      b.staging.map((s) => s.toString('base64')),
    );
    expect(a.plan.puts.map((p) => [p.key, p.sha256])).toEqual(
      b.plan.puts.map((p) => [p.key, p.sha256]),
    );
    expect(
      Buffer.from(a.plan.puts.at(-1)?.body ?? []).equals(
        Buffer.from(b.plan.puts.at(-1)?.body ?? []),
      ),
    ).toBe(true);
  });
});
