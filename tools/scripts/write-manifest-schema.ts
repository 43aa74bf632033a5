/** Regenerates libs/manifest/lambda.manifest.schema.json from the zod schema. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MANIFEST_JSON_SCHEMA_FILE, manifestJsonSchema } from '@slipway/manifest';

const file = join(__dirname, '../..', MANIFEST_JSON_SCHEMA_FILE);
writeFileSync(file, `${JSON.stringify(manifestJsonSchema(), null, 2)}\n`);
console.log(`wrote ${MANIFEST_JSON_SCHEMA_FILE}`);
