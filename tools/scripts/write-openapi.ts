/**
 * Regenerates docs/api/openapi.json from the http triggers of the Lambda manifests and the
 * route schemas (`npm run api:openapi`). Dev-only: no Lambda imports it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { EDGE_SCHEMAS } from '@slipway/events';
import { OPENAPI_FILE, workspaceOpenApiJson } from '@slipway/manifest';

const root = join(__dirname, '../..');
const file = join(root, OPENAPI_FILE);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, workspaceOpenApiJson(root, EDGE_SCHEMAS));
console.log(`wrote ${OPENAPI_FILE}`);
