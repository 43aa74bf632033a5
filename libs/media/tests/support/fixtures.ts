import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { ObjectRef } from '@slipway/events';

const FIXTURES = path.join(__dirname, '..', 'fixtures');

/** Names of every top-level fixture file (README.md and the images/, videos/ folders excluded), sorted. */
export function fixtureNames(): string[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name !== 'README.md')
    .map((entry) => entry.name)
    .sort();
}

/** The bytes of `tests/fixtures/<name>`. */
export function readFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(FIXTURES, name)));
}

/** An S3 object reference for a test upload whose key is `uploads/<name>`. */
export function objectRefFor(name: string, size: number): ObjectRef {
  return { bucket: 'slipway-test-uploads', key: `uploads/${name}`, size };
}

/** A copy of `bytes` with the ASCII `text` written at `offset`: to relabel an ISO-BMFF brand. */
export function patchAscii(bytes: Uint8Array, offset: number, text: string): Uint8Array {
  const copy = bytes.slice();
  copy.set(Buffer.from(text, 'latin1'), offset);
  return copy;
}
