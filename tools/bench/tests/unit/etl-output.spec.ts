import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { EtlObjectError, transformObject } from '@slipway/etl';
import { generateDay, generateNdjson } from '@slipway/samples';
import { EDGE_REWRITES } from './support/edge-rows';

// The bytes Transform writes, pinned (GitHub issue 17: Transform got faster, its output must not
// change). The hashes were computed on the code before the throughput work (commit 85076c9) and
// must never be updated for a performance change: a different hash means different output.

const DATE = '2026-03-01';

class HashSink extends Writable {
  readonly #hash = createHash('sha256');
  bytes = 0;

  constructor() {
    super({
      write: (chunk: Buffer, _encoding, done) => {
        this.#hash.update(chunk);
        this.bytes += chunk.length;
        done();
      },
    });
  }

  digest(): string {
    return this.#hash.digest('hex');
  }
}

async function run(key: string, body: () => Readable, now: Date) {
  const staging = new HashSink();
  const quarantine = new HashSink();
  try {
    const result = await transformObject(
      { body: body(), key, date: DATE, now },
      { staging, quarantine },
    );
    return {
      counts: result.counts,
      staging: `${staging.bytes} ${staging.digest()}`,
      quarantine: `${quarantine.bytes} ${quarantine.digest()}`,
    };
  } catch (error) {
    if (error instanceof EtlObjectError) return { objectError: error.code };
    throw error;
  }
}

/** `rows` generated events, each rewritten by the next of {@link EDGE_REWRITES}; every 50th repeats an earlier id. */
async function edgeLines(rows: number): Promise<string> {
  let text = '';
  for await (const chunk of generateNdjson({ date: DATE, rows, seed: 5 })) text += String(chunk);
  return text
    .trim()
    .split('\n')
    .map((line, i) => {
      const row = JSON.parse(line) as Record<string, unknown>;
      if (i % 50 === 49) row.event_id = `668b62b2-dup-${i % 7}`;
      return EDGE_REWRITES[i % EDGE_REWRITES.length](row);
    })
    .join('\n');
}

describe('Transform output (pinned bytes)', () => {
  it('writes the same staging Parquet and rejected NDJSON for a generated day (seed 17, 25,000 rows)', async () => {
    // Prepare
    const day = generateDay(DATE, { rows: 25_000, seed: 17 });

    // Act
    const results: Record<string, unknown> = {};
    for (const object of day.objects)
      results[object.key] = await run(object.key, object.open, day.now);

    // Assess
    expect(results).toEqual({
      'raw/lms/dt=2026-03-01/bad-header.csv': { objectError: 'CSV_HEADER' },
      'raw/lms/dt=2026-03-01/empty.ndjson': {
        counts: { input: 0, valid: 0, rejected: 0, duplicates: 0 },
        staging: '261 f84008bd75bbd0684d0adfe06cd6ef943eb984914aeecadac6e0456c0d9a1c5b',
        quarantine: '0 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      },
      'raw/lms/dt=2026-03-01/events-0001.ndjson.gz': {
        counts: { input: 25_015, valid: 25_000, rejected: 13, duplicates: 2 },
        staging: '464936 fc3a34b5f5b1cf1178c1c680fc6380f1a84ed427b9c956834c1b481aa34959eb',
        quarantine: '4638 2acc8cbb60b5b02646292913c432dc3d3724ddbf37ae592cb515bab04dbfc982',
      },
      'raw/lms/dt=2026-03-01/events-0002.ndjson': {
        counts: { input: 47, valid: 46, rejected: 1, duplicates: 0 },
        staging: '2306 3a94e4ac4b43c3cc5c9eaa88bbc8734ee65a39ac9279364d879f75b82df0da5b',
        quarantine: '1237 7ac079391a402fae4de3b23e11b76254492f0ac4f5495a16c60df2b871e57255',
      },
      'raw/lms/dt=2026-03-01/events-0003.csv': {
        counts: { input: 37, valid: 32, rejected: 5, duplicates: 0 },
        staging: '1958 e967644610273c4c26d4d8b20c7499d3995b597e80bf2797b52fbcbafb7a4452',
        quarantine: '1711 f07ef9e453ecaf5fc17b79b35cfef7ab37ee253127e5589dc0cf609f9ef10397',
      },
      'raw/lms/dt=2026-03-01/export-0005.json': {
        counts: { input: 20, valid: 20, rejected: 0, duplicates: 0 },
        staging: '1646 b229142f535ac2bcb73f5c2f509fef70b7b6522ad02cd1c84715ec6730c5813b',
        quarantine: '0 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      },
      'raw/lms/dt=2026-03-01/truncated.ndjson.gz': { objectError: 'TRUNCATED_GZIP' },
    });
  });

  it('writes the same bytes for rows that need normalizing or are rejected on every schema path', async () => {
    // Prepare
    const lines = await edgeLines(12_000);

    // Act
    const result = await run(
      `raw/lms/dt=${DATE}/edge.ndjson`,
      () => Readable.from([Buffer.from(lines)]),
      new Date(`${DATE}T20:00:00.000Z`),
    );

    // Assess
    expect(result).toEqual({
      counts: { input: 12_000, valid: 5_161, rejected: 6_746, duplicates: 93 },
      staging: '100917 33de64511454b5137c36c4d823df75889f4eafa8e8610e1fb77e30f6bb5f1b6e',
      quarantine: '2897095 c4cb438aff2fdad5daa26f4eb5e1dc7a58d6dbf760faadcafa7530d9acced1f3',
    });
  });
});
