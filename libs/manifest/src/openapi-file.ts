import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadManifests } from './load';
import { openApiDocument } from './openapi';
import { routeTable, type SchemaCatalog } from './routes';

/** Where the API's OpenAPI 3.1 document is committed, relative to the workspace root. */
export const OPENAPI_FILE = 'docs/api/openapi.json';
/** `info.title` of the API's document. */
export const API_TITLE = 'Slipway API';

/**
 * The text of {@link OPENAPI_FILE} as the workspace's manifests generate it: every app's routes,
 * their schemas from `schemas`, the version of the root package.json, two-space JSON and a final
 * newline. `npm run api:openapi` writes it; a test compares it byte for byte with the committed
 * file.
 *
 * @throws {InvalidManifestError} / {InvalidRoutesError} when a manifest or the routes are invalid.
 */
export function workspaceOpenApiJson(root: string, schemas: SchemaCatalog): string {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string;
  };
  const routes = routeTable(loadManifests(root, schemas).map((f) => f.manifest));
  const document = openApiDocument(routes, schemas, {
    title: API_TITLE,
    version,
    description:
      'The HTTP edge of Slipway, generated from the http triggers of apps/*/lambda.manifest.json ' +
      '(npm run api:openapi): do not edit by hand.',
  });
  return `${JSON.stringify(document, null, 2)}\n`;
}
