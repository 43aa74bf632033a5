import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, isObjectType, type GraphQLSchema } from 'graphql';
import * as z from 'zod';
import { InvalidGraphqlTriggersError, type RouteProblem } from './errors';
import type { ManifestFile } from './routes';

/**
 * The GraphQL APIs (AppSync) manifests can attach a Lambda to, and the `graphql` trigger that
 * does it. Like the tables, the APIs are declared here, not in the stacks, because two places
 * build them from one declaration: the stacks (the governed `graphql-api` module, in the owning
 * domain's stack) and the sandbox (its local GraphQL endpoint). The SDL is a committed file;
 * a trigger naming a type or field it lacks fails the build, naming the manifest and the field.
 *
 * graphql-js (`buildSchema`) reads the SDL: the reference implementation AppSync's schema
 * language follows, and what the sandbox executes, so the build and the local endpoint agree
 * on what a field is.
 */

/** One GraphQL API. */
export interface GraphqlApiSpec {
  /** Logical name, unique: what a trigger's `api` names; the real name is `<prefix>-<env>-<name>`. */
  readonly name: string;
  /** The domain whose stack owns the API. */
  readonly domain: string;
  /** The SDL file, relative to the workspace root. */
  readonly schemaFile: string;
  /** What the API serves (its description). */
  readonly description: string;
}

/** Every GraphQL API, by logical name. */
export const GRAPHQL_APIS: readonly GraphqlApiSpec[] = [
  {
    name: 'users',
    domain: 'users',
    schemaFile: 'libs/users/graphql/schema.graphql',
    description: 'User profiles: Query.user and Mutation.updateProfile over the user service.',
  },
];

/** Root types a field of which a Lambda may resolve (subscriptions are AppSync-side only). */
export const GRAPHQL_PARENT_TYPES = ['Query', 'Mutation'] as const;

const GRAPHQL_NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/**
 * A field of a GraphQL API resolved by this Lambda: an AppSync direct Lambda resolver (UNIT)
 * on `parent.field` of `api`, invoked with AppSync's resolver event.
 */
export const GraphqlTriggerSchema = z.strictObject({
  type: z.literal('graphql'),
  api: z
    .string()
    .regex(
      /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/,
      `must be the logical name of a GraphQL API in GRAPHQL_APIS (libs/manifest/src/graphql.ts), e.g. "users"`,
    ),
  /** The type holding the field: a root type of the SDL. */
  parent: z
    .string()
    .regex(GRAPHQL_NAME, 'must be a GraphQL type name such as "Query" or "Mutation"'),
  /** The field of `parent` this Lambda resolves. */
  field: z.string().regex(GRAPHQL_NAME, 'must be a GraphQL field name such as "user"'),
});

/** A validated `graphql` trigger. */
export type GraphqlTrigger = z.output<typeof GraphqlTriggerSchema>;

/** One field with a Lambda resolver. */
export interface GraphqlResolver {
  /** Logical API name. */
  api: string;
  parent: string;
  field: string;
  /** Name of the Lambda (its manifest's `name`) that resolves the field. */
  lambda: string;
}

/**
 * Every `graphql` trigger of `manifests`, sorted by API, parent, then field. Pure: the
 * manifests are assumed checked by {@link checkGraphqlTriggers}.
 *
 * @example
 * graphqlResolvers(manifests); // [{ api: 'users', parent: 'Mutation', field: 'updateProfile', lambda: 'users-graphql' }, ...]
 */
export function graphqlResolvers(
  manifests: readonly { name: string; triggers: readonly { type: string }[] }[],
): GraphqlResolver[] {
  const resolvers: GraphqlResolver[] = [];
  for (const manifest of manifests)
    for (const trigger of manifest.triggers)
      if (trigger.type === 'graphql') {
        const t = trigger as GraphqlTrigger;
        resolvers.push({ api: t.api, parent: t.parent, field: t.field, lambda: manifest.name });
      }
  const key = (r: GraphqlResolver) => `${r.api}\u0000${r.parent}\u0000${r.field}`;
  return resolvers.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** The API of that logical name, or `undefined`. */
export function graphqlApi(name: string): GraphqlApiSpec | undefined {
  return GRAPHQL_APIS.find((a) => a.name === name);
}

/** The SDL text of an API, read from the workspace. */
export function readGraphqlSchema(root: string, api: GraphqlApiSpec): string {
  return readFileSync(join(root, api.schemaFile), 'utf8');
}

/**
 * What is wrong with the `graphql` triggers of all manifests together: an API that
 * {@link GRAPHQL_APIS} lacks, an SDL that does not parse, a parent that is not a root type of it,
 * a field the parent lacks (listing the fields it has), or one field resolved by two Lambdas
 * (AppSync holds one resolver per field). Sorted by file, then field.
 *
 * @param root workspace root (the SDL files are relative to it).
 */
export function graphqlProblems(root: string, files: readonly ManifestFile[]): RouteProblem[] {
  const problems: RouteProblem[] = [];
  const schemas = new Map<string, GraphQLSchema | string>();
  const schemaOf = (api: GraphqlApiSpec): GraphQLSchema | string => {
    let schema = schemas.get(api.name);
    if (schema === undefined) {
      try {
        schema = buildSchema(readGraphqlSchema(root, api));
      } catch (error) {
        schema = `${api.schemaFile} is not a valid GraphQL schema (${(error as Error).message.split('\n')[0]}): fix the SDL`;
      }
      schemas.set(api.name, schema);
    }
    return schema;
  };
  const seen = new Map<string, string>();
  for (const { file, manifest } of files) {
    manifest.triggers.forEach((trigger, i) => {
      if (trigger.type !== 'graphql') return;
      const t = trigger as GraphqlTrigger;
      const at = `triggers.${i}`;
      const api = graphqlApi(t.api);
      if (!api) {
        problems.push({
          file,
          field: `${at}.api`,
          value: t.api,
          message: `is not a GraphQL API in GRAPHQL_APIS (libs/manifest/src/graphql.ts): use one of ${GRAPHQL_APIS.map((a) => `"${a.name}"`).join(', ')} or declare it there`,
        });
        return;
      }
      const schema = schemaOf(api);
      if (typeof schema === 'string') {
        problems.push({ file, field: `${at}.api`, value: t.api, message: schema });
        return;
      }
      const roots = GRAPHQL_PARENT_TYPES.map((p) =>
        p === 'Query' ? schema.getQueryType() : schema.getMutationType(),
      ).filter((type) => !!type);
      const parent = roots.find((type) => type.name === t.parent);
      if (!parent) {
        const other = schema.getType(t.parent);
        problems.push({
          file,
          field: `${at}.parent`,
          value: t.parent,
          message:
            `${other && isObjectType(other) ? 'is a type of' : 'is not a type in'} ${api.schemaFile}` +
            `${other && isObjectType(other) ? ' but not a root type a Lambda resolves' : ''}: use one of ${roots.map((r) => `"${r.name}"`).join(', ')}`,
        });
        return;
      }
      const fields = Object.keys(parent.getFields()).sort();
      if (!fields.includes(t.field)) {
        problems.push({
          file,
          field: `${at}.field`,
          value: t.field,
          message: `is not a field of ${t.parent} in ${api.schemaFile}: add it to the SDL or use one of ${fields.map((f) => `"${f}"`).join(', ')}`,
        });
        return;
      }
      const key = `${t.api}.${t.parent}.${t.field}`;
      const first = seen.get(key);
      if (first)
        problems.push({
          file,
          field: at,
          value: trigger,
          message: `${t.parent}.${t.field} of API "${t.api}" is already resolved by ${first}: AppSync holds one resolver per field, remove one of the two`,
        });
      else seen.set(key, `${file} (${at})`);
    });
  }
  return problems.sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.field.localeCompare(b.field, 'en', { numeric: true }),
  );
}

/**
 * Fails when a `graphql` trigger names an unknown API, type or field, or a field twice
 * (see {@link graphqlProblems}).
 *
 * @throws {InvalidGraphqlTriggersError} naming each manifest, field and fix.
 */
export function checkGraphqlTriggers(root: string, files: readonly ManifestFile[]): void {
  const problems = graphqlProblems(root, files);
  if (problems.length) throw new InvalidGraphqlTriggersError(problems);
}
