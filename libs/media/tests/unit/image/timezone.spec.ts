import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { IMAGE_FIXTURES } from './support/images';
import { KNOWN_METADATA } from './support/known-metadata';

const run = promisify(execFile);
const REPO_ROOT = path.join(__dirname, '..', '..', '..', '..', '..');
const CHILD = path.join(__dirname, 'support', 'print-metadata.ts');
const FILES = ['exif-gps.jpg', 'exif-gps-sw.jpg', 'exif-no-offset.jpg'];

/** Time zones on both sides of UTC, one with a half-hour offset; their offsets on 2024-05-01. */
const ZONES = { UTC: 0, 'America/New_York': 240, 'Asia/Kolkata': -330 } as const;

interface ChildOutput {
  offsetMinutes: number;
  revivedDateTimeOriginal: string | null;
  metadata: Record<string, unknown>;
}

/** Runs print-metadata.ts in a fresh Node process whose TZ is `timeZone`. */
async function metadataIn(timeZone: string): Promise<ChildOutput> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', CHILD, ...FILES.map((name) => path.join(IMAGE_FIXTURES, name))],
    { cwd: REPO_ROOT, env: { ...process.env, TZ: timeZone } },
  );
  return JSON.parse(stdout) as ChildOutput;
}

describe('extractImageMetadata across time zones', () => {
  // Three child processes (tsx compiles on start): a few seconds on a busy machine.
  jest.setTimeout(60_000);

  let outputs: Record<string, ChildOutput>;
  beforeAll(async () => {
    const zones = Object.keys(ZONES);
    const results = await Promise.all(zones.map(metadataIn));
    outputs = Object.fromEntries(zones.map((zone, i) => [zone, results[i]]));
  });

  it('really ran each child in its time zone', () => {
    // Act
    const offsets = Object.fromEntries(
      Object.entries(outputs).map(([zone, output]) => [zone, output.offsetMinutes]),
    );

    // Assess
    expect(offsets).toEqual(ZONES);
  });

  it('would differ through a JS Date: exifr’s revived DateTimeOriginal moves with TZ', () => {
    // Act
    const revived = new Set(Object.values(outputs).map((o) => o.revivedDateTimeOriginal));

    // Assess: the trap this test guards against is live on this machine
    expect(revived.size).toBe(Object.keys(ZONES).length);
  });

  it('gives the same metadata in every time zone, equal to the known values', () => {
    // Prepare
    const expected = Object.fromEntries(FILES.map((name) => [name, KNOWN_METADATA[name]]));

    // Act + Assess
    for (const output of Object.values(outputs)) {
      expect(output.metadata).toStrictEqual(expected);
    }
  });
});
