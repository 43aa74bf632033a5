import type * as z from 'zod';
import { InvalidRoutesError, type RouteProblem } from './errors';
import type { LambdaManifest } from './schema';
import type { HttpMethod } from './triggers';

/**
 * The REST API as the manifests declare it, checked across every manifest at once: a route or
 * an authorizer is valid alone (schema.ts) but can still clash with another Lambda's. The stacks,
 * the authorizer's role mapping, the local gateway and the OpenAPI generator all read the one
 * {@link routeTable}, so a route added to a manifest reaches each of them unedited.
 */

/** A manifest and the file it was read from (for messages). */
export interface ManifestFile {
  /** Path shown in messages, relative to the workspace root (`apps/<name>/lambda.manifest.json`). */
  file: string;
  manifest: LambdaManifest;
}

/** Route body schemas by the name manifests use: `EDGE_SCHEMAS` of `@slipway/events`. */
export type SchemaCatalog = Readonly<Record<string, z.ZodType>>;

/** One route of the REST API. */
export interface Route {
  method: HttpMethod;
  /** API Gateway path, e.g. `/things/{id}`. */
  path: string;
  /** Name of the Lambda (its manifest's `name`) that serves the route. */
  lambda: string;
  auth: 'jwt' | 'public';
  /** Roles admitted (any one suffices); empty on public routes. */
  roles: string[];
  /** Why a public route needs no token; absent on JWT routes. */
  reason?: string;
  /** Request body schema name in the {@link SchemaCatalog}. */
  request?: string;
  /** Response body schema name in the {@link SchemaCatalog}. */
  response: string;
  throttle?: { rateLimit: number; burstLimit: number };
  maxBodyBytes?: number;
  binary: boolean;
}

/** The API's Lambda REQUEST authorizer. */
export interface ApiAuthorizer {
  /** Name of the authorizer Lambda. */
  lambda: string;
  /** Header API Gateway passes to the authorizer and keys its cache on. */
  identitySource: 'Authorization';
  cacheTtlSeconds: number;
}

/**
 * Every `http` trigger of `manifests` as one table, sorted by path then method. Pure: the
 * manifests are assumed checked by {@link checkRoutes} (or {@link loadManifests}).
 *
 * @example
 * routeTable(loadManifests(root, EDGE_SCHEMAS).map((f) => f.manifest));
 * // [{ method: 'POST', path: '/uploads', lambda: 'edge-upload', auth: 'jwt', roles: ['member'], ... }]
 */
export function routeTable(manifests: readonly LambdaManifest[]): Route[] {
  const routes: Route[] = [];
  for (const manifest of manifests) {
    for (const trigger of manifest.triggers) {
      if (trigger.type !== 'http') continue;
      routes.push({
        method: trigger.method,
        path: trigger.path,
        lambda: manifest.name,
        auth: trigger.auth.type,
        roles: trigger.auth.type === 'jwt' ? [...trigger.auth.roles] : [],
        ...(trigger.auth.type === 'public' ? { reason: trigger.auth.reason } : {}),
        ...(trigger.request !== undefined ? { request: trigger.request } : {}),
        response: trigger.response,
        ...(trigger.throttle ? { throttle: { ...trigger.throttle } } : {}),
        ...(trigger.maxBodyBytes !== undefined ? { maxBodyBytes: trigger.maxBodyBytes } : {}),
        binary: trigger.binary,
      });
    }
  }
  return routes.sort((a, b) => compare(a.path, b.path) || compare(a.method, b.method));
}

/** The authorizer the manifests declare, or `undefined` when none does. */
export function apiAuthorizer(manifests: readonly LambdaManifest[]): ApiAuthorizer | undefined {
  for (const manifest of manifests) {
    const trigger = manifest.triggers.find((t) => t.type === 'authorizer');
    if (trigger)
      return {
        lambda: manifest.name,
        identitySource: trigger.identitySource,
        cacheTtlSeconds: trigger.cacheTtlSeconds,
      };
  }
  return undefined;
}

/**
 * What is wrong with the routes of all manifests together: the same method and path twice
 * (`ANY` overlaps every method), two parameter names at one position of a path (API Gateway
 * allows one variable child per resource), a body schema name missing from `schemas`, a JWT
 * route with no authorizer, or more than one authorizer. Sorted by file, then field.
 */
export function routeProblems(
  files: readonly ManifestFile[],
  schemas: SchemaCatalog,
): RouteProblem[] {
  const problems: RouteProblem[] = [];
  const known = Object.keys(schemas).sort();
  const routes = new Map<string, { method: HttpMethod; at: string }[]>();
  const params = new Map<string, { segment: string; at: string }>();
  let authorizer: string | undefined;
  const jwtRoutes: { file: string; field: string; value: unknown }[] = [];

  for (const { file, manifest } of files) {
    manifest.triggers.forEach((trigger, i) => {
      const field = `triggers.${i}`;
      const at = `${file} (${field})`;
      if (trigger.type === 'authorizer') {
        if (authorizer)
          problems.push({
            file,
            field,
            value: trigger,
            message:
              `declares a second authorizer, and ${authorizer} already declares one: an API has ` +
              'exactly one, remove this one',
          });
        else authorizer = at;
        return;
      }
      if (trigger.type !== 'http') return;

      const key = resourceKey(trigger.path);
      const same = routes.get(key) ?? [];
      const clash = same.find(
        (r) => r.method === trigger.method || r.method === 'ANY' || trigger.method === 'ANY',
      );
      if (clash)
        problems.push({
          file,
          field: `${field}.path`,
          value: trigger.path,
          message:
            `${trigger.method} ${trigger.path} overlaps ${clash.method} on the same path in ` +
            `${clash.at}${clash.method === 'ANY' || trigger.method === 'ANY' ? ' (ANY matches every method)' : ''}: ` +
            'serve it from one Lambda, or change the method or the path',
        });
      else routes.set(key, [...same, { method: trigger.method, at }]);

      const mismatch = paramMismatch(trigger.path, params, at);
      if (mismatch)
        problems.push({ file, field: `${field}.path`, value: trigger.path, message: mismatch });

      for (const role of ['request', 'response'] as const) {
        const name = trigger[role];
        if (name !== undefined && !(name in schemas))
          problems.push({
            file,
            field: `${field}.${role}`,
            value: name,
            message:
              'is not a schema in EDGE_SCHEMAS (libs/events/src/edge/index.ts): add it there, or ' +
              `use one of: ${known.length ? known.join(', ') : '(none yet)'}`,
          });
      }
      if (trigger.auth.type === 'jwt')
        jwtRoutes.push({ file, field: `${field}.auth`, value: trigger.auth });
    });
  }

  if (!authorizer)
    for (const route of jwtRoutes)
      problems.push({
        ...route,
        message:
          'needs the API JWT authorizer, and no manifest declares one: add ' +
          '{"type": "authorizer"} to the triggers of the authorizer Lambda (or make this route ' +
          'public with a reason)',
      });

  return problems.sort((a, b) => compare(a.file, b.file) || compareField(a.field, b.field));
}

/**
 * Fails when the manifests' routes clash (see {@link routeProblems}).
 *
 * @throws {InvalidRoutesError} naming each manifest, field and fix.
 */
export function checkRoutes(files: readonly ManifestFile[], schemas: SchemaCatalog): void {
  const problems = routeProblems(files, schemas);
  if (problems.length) throw new InvalidRoutesError(problems);
}

/** A path with its parameter names blanked: `/things/{id}` and `/things/{key}` are one resource. */
function resourceKey(path: string): string {
  return path.replace(/\{[^}/]*?(\+?)\}/g, '{$1}');
}

/** The first position where `path` names a parameter differently from a path seen before. */
function paramMismatch(
  path: string,
  seen: Map<string, { segment: string; at: string }>,
  at: string,
): string | undefined {
  const segments = path.split('/').slice(1);
  let problem: string | undefined;
  segments.forEach((segment, i) => {
    if (!segment.startsWith('{')) return;
    const parent = resourceKey(`/${segments.slice(0, i).join('/')}`);
    const first = seen.get(parent);
    if (!first) seen.set(parent, { segment, at });
    else if (first.segment !== segment && !problem)
      problem =
        `names the parameter ${segment} where ${first.at} names it ${first.segment} ` +
        `under "${parent}": API Gateway allows one parameter per position, use ${first.segment}`;
  });
  return problem;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `triggers.2` before `triggers.10`. */
function compareField(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
