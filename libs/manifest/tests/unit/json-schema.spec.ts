import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_JSON_SCHEMA_FILE, manifestJsonSchema } from '../../src';

describe('manifest JSON Schema', () => {
  it('is committed and matches the zod schema (regenerate: npx tsx tools/scripts/write-manifest-schema.ts)', () => {
    const committed = JSON.parse(
      readFileSync(join(__dirname, '../../../..', MANIFEST_JSON_SCHEMA_FILE), 'utf8'),
    );

    expect(committed).toEqual(manifestJsonSchema());
  });

  it('carries the ranges the build enforces', () => {
    const schema = manifestJsonSchema() as {
      properties: Record<string, { minimum?: number; maximum?: number }>;
    };

    expect(schema.properties.memory).toMatchObject({ minimum: 128, maximum: 10240 });
    expect(schema.properties.timeout).toMatchObject({ minimum: 1, maximum: 900 });
  });
});
