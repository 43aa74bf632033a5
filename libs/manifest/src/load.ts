import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type * as z from 'zod';
import { InvalidManifestError, type ManifestProblem } from './errors';
import { checkGraphqlTriggers } from './graphql';
import { checkRoutes, type ManifestFile, type SchemaCatalog } from './routes';
import { LambdaManifestSchema, type LambdaManifest } from './schema';

/** File name of a Lambda manifest inside `apps/<name>/`. */
export const MANIFEST_FILE = 'lambda.manifest.json';

/**
 * Validates an already-parsed manifest. `file` is only used in messages.
 *
 * @throws {InvalidManifestError} naming the file, each failing field, its value and the fix.
 */
export function parseManifest(raw: unknown, file: string): LambdaManifest {
  const result = LambdaManifestSchema.safeParse(raw);
  if (!result.success) {
    throw new InvalidManifestError(
      file,
      result.error.issues.flatMap((i) => toProblems(i, raw)),
      {
        cause: result.error,
      },
    );
  }
  const folder = basename(dirname(file));
  if (folder !== '.' && folder !== '' && result.data.name !== folder) {
    throw new InvalidManifestError(file, [
      {
        field: 'name',
        value: result.data.name,
        message: `must equal the app folder name "${folder}" (one Lambda per apps/<name>/)`,
      },
    ]);
  }
  return result.data;
}

/**
 * Reads and validates `apps/<name>/lambda.manifest.json`.
 *
 * @param file path of the manifest.
 * @param root workspace root, used to print the path relative to it.
 * @throws {InvalidManifestError} when the file is missing, is not JSON, or breaks the schema.
 * @example
 * const manifest = loadManifest('apps/media-validate/lambda.manifest.json');
 */
export function loadManifest(file: string, root: string = process.cwd()): LambdaManifest {
  const shown = relative(root, file) || file;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidManifestError(
      shown,
      [
        {
          field: '(file)',
          value: undefined,
          message: `cannot be read: create ${MANIFEST_FILE} beside src/`,
        },
      ],
      { cause: error },
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InvalidManifestError(
      shown,
      [
        {
          field: '(file)',
          value: undefined,
          message: `is not valid JSON (${(error as Error).message})`,
        },
      ],
      { cause: error },
    );
  }
  return parseManifest(raw, shown);
}

/**
 * Reads and validates every `apps/<name>/lambda.manifest.json` under `root`, sorted by name, then
 * checks their HTTP routes together (see {@link checkRoutes}): what a build or a synth that sees
 * the whole API calls, so a clash between two Lambdas fails before anything is deployed.
 *
 * @param root workspace root (holding `apps/`).
 * @param schemas route body schemas by name: `EDGE_SCHEMAS` of `@slipway/events`.
 * @throws {InvalidManifestError} for the first manifest that is unreadable or breaks the schema.
 * @throws {InvalidRoutesError} when the routes clash across manifests.
 * @throws {InvalidGraphqlTriggersError} when a `graphql` trigger names a type or field its SDL lacks.
 * @example
 * const files = loadManifests(root, EDGE_SCHEMAS);
 * const routes = routeTable(files.map((f) => f.manifest));
 */
export function loadManifests(root: string, schemas: SchemaCatalog): ManifestFile[] {
  const appsDir = join(root, 'apps');
  const names = existsSync(appsDir)
    ? readdirSync(appsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(appsDir, d.name, MANIFEST_FILE)))
        .map((d) => d.name)
        .sort()
    : [];
  const files = names.map((name) => {
    const file = join(appsDir, name, MANIFEST_FILE);
    return { file: relative(root, file), manifest: loadManifest(file, root) };
  });
  checkRoutes(files, schemas);
  // Fields of the committed SDL files: a trigger naming a type or field they lack fails here.
  checkGraphqlTriggers(root, files);
  return files;
}

function toProblems(issue: z.core.$ZodIssue, raw: unknown): ManifestProblem[] {
  if (issue.code === 'unrecognized_keys') {
    const allowed = Object.keys(LambdaManifestSchema.shape).join(', ');
    return issue.keys.map((key) => ({
      field: [...issue.path, key].join('.'),
      value: valueAt(raw, [...issue.path, key]),
      message: issue.path.length
        ? 'is not a known field: remove it or fix its spelling'
        : `is not a known field: remove it or fix its spelling (known fields: ${allowed})`,
    }));
  }
  const value = valueAt(raw, issue.path);
  let message = issue.message;
  // A schema's own "is required: …" says how to fill the field; keep it over the generic one.
  if (issue.code === 'invalid_type' && value === undefined && !message.startsWith('is required'))
    message = `is required (${issue.expected})`;
  // A bad record key (environment variable name) nests the real reason one level down.
  if (issue.code === 'invalid_key')
    message = `name ${issue.issues.map((i) => i.message).join('; ')}`;
  return [{ field: issue.path.length ? issue.path.join('.') : '(root)', value, message }];
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = raw;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}
