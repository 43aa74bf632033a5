import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  checkGraphqlTriggers,
  graphqlProblems,
  graphqlResolvers,
  InvalidGraphqlTriggersError,
  parseManifest,
  type ManifestFile,
} from '../../src';

// The real SDL (libs/users/graphql/schema.graphql) against a copy of the real resolver's manifest.
const ROOT = join(__dirname, '../../../..');
const FILE = 'apps/users-graphql/lambda.manifest.json';
type Raw = { triggers: Record<string, unknown>[] } & Record<string, unknown>;
const raw = (): Raw =>
  JSON.parse(
    readFileSync(join(__dirname, '../fixtures/graphql/users-graphql.manifest.json'), 'utf8'),
  ) as Raw;
const filesWith = (change: (m: Raw) => void = () => {}): ManifestFile[] => {
  const manifest = raw();
  change(manifest);
  return [{ file: FILE, manifest: parseManifest(manifest, FILE) }];
};

describe('graphql triggers', () => {
  it('accepts the resolver fields of the committed SDL and lists them sorted', () => {
    // Prepare
    const files = filesWith();

    // Act
    const problems = graphqlProblems(ROOT, files);

    // Assess
    expect(problems).toEqual([]);
    expect(graphqlResolvers(files.map((f) => f.manifest))).toEqual([
      { api: 'users', parent: 'Mutation', field: 'updateProfile', lambda: 'users-graphql' },
      { api: 'users', parent: 'Query', field: 'user', lambda: 'users-graphql' },
    ]);
  });

  it.each([
    [
      'an unknown API',
      (m: Raw) => (m.triggers[0].api = 'people'),
      'triggers.0.api',
      'people',
      'is not a GraphQL API in GRAPHQL_APIS (libs/manifest/src/graphql.ts): use one of "users" or declare it there',
    ],
    [
      'a type the SDL lacks',
      (m: Raw) => (m.triggers[0].parent = 'Subscription'),
      'triggers.0.parent',
      'Subscription',
      'is not a type in libs/users/graphql/schema.graphql: use one of "Query", "Mutation"',
    ],
    [
      'an object type that is no root type',
      (m: Raw) => (m.triggers[0].parent = 'User'),
      'triggers.0.parent',
      'User',
      'is a type of libs/users/graphql/schema.graphql but not a root type a Lambda resolves: use one of "Query", "Mutation"',
    ],
    [
      'a field the type lacks',
      (m: Raw) => (m.triggers[1].field = 'deleteProfile'),
      'triggers.1.field',
      'deleteProfile',
      'is not a field of Mutation in libs/users/graphql/schema.graphql: add it to the SDL or use one of "updateProfile"',
    ],
  ])('refuses %s, naming the manifest and the field', (_what, change, field, value, message) => {
    // Prepare
    const files = filesWith(change);

    // Act
    const problems = graphqlProblems(ROOT, files);

    // Assess
    expect(problems).toEqual([{ file: FILE, field, value, message }]);
    expect(() => checkGraphqlTriggers(ROOT, files)).toThrow(InvalidGraphqlTriggersError);
  });

  it('refuses one field resolved by two Lambdas', () => {
    // Prepare
    const other = raw();
    other.name = 'users-graphql-two';
    other.triggers = [other.triggers[0]];
    const files = [
      ...filesWith(),
      {
        file: 'apps/users-graphql-two/lambda.manifest.json',
        manifest: parseManifest(other, 'apps/users-graphql-two/lambda.manifest.json'),
      },
    ];

    // Act
    const problems = graphqlProblems(ROOT, files);

    // Assess
    expect(problems).toEqual([
      {
        file: 'apps/users-graphql-two/lambda.manifest.json',
        field: 'triggers.0',
        value: { type: 'graphql', api: 'users', parent: 'Query', field: 'user' },
        message:
          'Query.user of API "users" is already resolved by apps/users-graphql/lambda.manifest.json (triggers.0): AppSync holds one resolver per field, remove one of the two',
      },
    ]);
  });

  it('refuses a field name that is no GraphQL name at parse time, naming the field path', () => {
    expect(() => filesWith((m) => (m.triggers[0].field = 'user-by-id'))).toThrow(
      `${FILE}: invalid Lambda manifest`,
    );
    expect(() => filesWith((m) => (m.triggers[0].field = 'user-by-id'))).toThrow(
      'triggers.0.field = "user-by-id": must be a GraphQL field name such as "user"',
    );
  });
});
