import { join } from 'node:path';
import { generateFiles, names, type Tree } from '@nx/devkit';
import { Kind, parse, print, type ObjectTypeDefinitionNode } from 'graphql';
import {
  GRAPHQL_APIS,
  GRAPHQL_PARENT_TYPES,
  HTTP_METHODS,
  parseManifest,
  type GraphqlApiSpec,
} from '@slipway/manifest';

/** Options of the `lambda` generator (see schema.json). */
export interface LambdaGeneratorSchema {
  name: string;
  domain?: string;
  description?: string;
  memory?: number;
  timeout?: number;
  /**
   * `invoke` (default: a plain event), `http` (a REST API route), `event` (an EventBridge rule on
   * a bus), `schedule` (an EventBridge Scheduler schedule) or `graphql` (an AppSync resolver).
   */
  trigger?: 'invoke' | 'http' | 'event' | 'schedule' | 'graphql';
  /** With `--trigger=http`: `"<METHOD> <path>"`, e.g. `"GET /things/{id}"`. */
  route?: string;
  /** With `--trigger=http`: comma-separated roles a JWT must carry one of (default `member`). */
  roles?: string;
  /** With `--trigger=http`: makes the route public; says why it needs no token. */
  publicReason?: string;
  /** With `--trigger=event`: the logical bus (default `platform`). */
  bus?: string;
  /** With `--trigger=event`: the detail-type subscribed to (default `<ClassName>Requested`). */
  detailType?: string;
  /** With `--trigger=schedule`: `cron(...)` or `rate(...)` (default `rate(1 hour)`). */
  schedule?: string;
  /** With `--trigger=schedule`: the IANA time zone the expression runs in (default `UTC`). */
  timezone?: string;
  /**
   * With `--trigger=graphql`: `<Parent>.<field>` (Parent `Query` or `Mutation`) of the GraphQL
   * API the domain owns; a field the SDL lacks is added as `<field>(id: ID!): String`.
   */
  field?: string;
}

/** Where the HTTP edge's contracts live and EDGE_SCHEMAS names them (libs/README.md). */
export const EDGE_CONTRACTS_DIR = 'libs/events/src/edge';

/**
 * Scaffolds `apps/<name>/`: a thin handler wired through `@slipway/observability`, its input
 * schema, a Lambda manifest (validated here with the same schema the build uses), unit tests
 * with an event fixture, and project files. Nothing else needs registering: the Nx plugin
 * infers the build and package targets from the manifest and the stacks discover it.
 */
export async function lambdaGenerator(tree: Tree, options: LambdaGeneratorSchema): Promise<void> {
  const name = options.name;
  const projectRoot = `apps/${name}`;
  if (tree.exists(projectRoot)) {
    throw new Error(`${projectRoot} already exists: pick another name or remove the folder first.`);
  }
  const domain = options.domain ?? 'platform';
  const http = options.trigger === 'http' ? httpRoute(options) : undefined;
  const graphql = options.trigger === 'graphql' ? graphqlField(tree, options, domain) : undefined;
  const { className, fileName, constantName } = names(name);
  const detailType = options.detailType ?? `${className}Requested`;
  const eventSource = `slipway.${domain}`;
  const trigger = triggerOf(options, http, graphql, { className, detailType, eventSource });
  const contractFile = `${EDGE_CONTRACTS_DIR}/${fileName}.ts`;
  if (http && tree.exists(contractFile)) {
    throw new Error(
      `${contractFile} already exists: pick another name or remove the contract first.`,
    );
  }
  const manifest = {
    $schema: '../../libs/manifest/lambda.manifest.schema.json',
    name,
    domain,
    description: options.description ?? `The ${name} function of the ${domain} domain.`,
    memory: options.memory ?? 256,
    timeout: options.timeout ?? 10,
    reservedConcurrency: 5,
    environment: {},
    permissions: [],
    logRetentionDays: 30,
    alarms: { errors: 1, throttles: 1 },
    ...(trigger ? { triggers: [trigger] } : {}),
  };
  // Fail here, not at build time, on a name, domain, memory or timeout the build would refuse.
  parseManifest(manifest, `${projectRoot}/lambda.manifest.json`);

  tree.write(`${projectRoot}/lambda.manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
  const substitutions = {
    ...names(name),
    name,
    domain,
    method: http?.method ?? '',
    path: http?.path ?? '',
    ...example(http?.path ?? '/'),
    constantName,
    detailType,
    eventSource,
    api: graphql?.api.name ?? '',
    schemaFile: graphql?.api.schemaFile ?? '',
    parent: graphql?.parent ?? '',
    field: graphql?.field ?? '',
    tmpl: '',
  };
  generateFiles(tree, join(__dirname, 'files/common'), projectRoot, substitutions);
  generateFiles(
    tree,
    join(__dirname, 'files', options.trigger ?? 'invoke'),
    projectRoot,
    substitutions,
  );
  if (http) {
    generateFiles(tree, join(__dirname, 'contract'), EDGE_CONTRACTS_DIR, substitutions);
    registerEdgeSchema(tree, fileName, `${className}Response`);
  }
  if (graphql?.sdl !== undefined) tree.write(graphql.api.schemaFile, graphql.sdl);
  await formatWithPrettier(tree);
}

/** The manifest trigger of the chosen kind (none for `invoke`). */
function triggerOf(
  options: LambdaGeneratorSchema,
  http: HttpRoute | undefined,
  graphql: GraphqlField | undefined,
  names: { className: string; detailType: string; eventSource: string },
): Record<string, unknown> | undefined {
  switch (options.trigger ?? 'invoke') {
    case 'http':
      return {
        type: 'http',
        method: http!.method,
        path: http!.path,
        auth: http!.auth,
        response: `${names.className}Response`,
      };
    case 'event':
      // Retries and the dead-letter queue take the manifest's defaults (EventBridge's 24 h are
      // cut to 1 h, 3 attempts; Lambda's asynchronous retries, then the function's DLQ).
      return {
        type: 'event',
        bus: options.bus ?? 'platform',
        pattern: { source: [names.eventSource], 'detail-type': [names.detailType] },
      };
    case 'schedule':
      return {
        type: 'schedule',
        name: 'every-hour',
        expression: options.schedule ?? 'rate(1 hour)',
        timezone: options.timezone ?? 'UTC',
        input: { scheduledTime: '<aws.scheduler.scheduled-time>' },
      };
    case 'graphql':
      return {
        type: 'graphql',
        api: graphql!.api.name,
        parent: graphql!.parent,
        field: graphql!.field,
      };
    case 'invoke':
      return undefined;
    default:
      throw new Error(
        `--trigger=${String(options.trigger)} is not a trigger the generator knows: use invoke, http, event, schedule or graphql.`,
      );
  }
}

interface HttpRoute {
  method: string;
  path: string;
  auth: { type: 'jwt'; roles: string[] } | { type: 'public'; reason: string };
}

function httpRoute(options: LambdaGeneratorSchema): HttpRoute {
  const match = /^([A-Z]+) +(\S+)$/.exec(options.route?.trim() ?? '');
  if (!match || !(HTTP_METHODS as readonly string[]).includes(match[1] as string)) {
    throw new Error(
      `--route="${options.route ?? ''}" is not "<METHOD> <path>": write e.g. --route="GET /things/{id}" with a method among ${HTTP_METHODS.join(', ')}.`,
    );
  }
  const roles = (options.roles ?? 'member')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  return {
    method: match[1] as string,
    path: match[2] as string,
    auth:
      options.publicReason !== undefined
        ? { type: 'public', reason: options.publicReason }
        : { type: 'jwt', roles },
  };
}

/** The field a `--trigger=graphql` Lambda resolves, and the SDL to write when it adds the field. */
interface GraphqlField {
  api: GraphqlApiSpec;
  parent: string;
  field: string;
  /** The API's SDL with the field added, or `undefined` when the SDL already has it. */
  sdl?: string;
}

/** Arguments and type of a field the generator adds (and of an existing one it accepts). */
export const GENERATED_FIELD_SHAPE = '(id: ID!): String';

/**
 * Checks `--field` against the GraphQL API `domain` owns and the manifests already in the tree,
 * and adds the field to the API's SDL when it lacks it: inserted before the closing brace of
 * the parent type (located with graphql-js `parse`), every other byte of the file kept.
 */
function graphqlField(tree: Tree, options: LambdaGeneratorSchema, domain: string): GraphqlField {
  const match = /^([_A-Za-z][_0-9A-Za-z]*)\.([_A-Za-z][_0-9A-Za-z]*)$/.exec(
    options.field?.trim() ?? '',
  );
  if (!match || !(GRAPHQL_PARENT_TYPES as readonly string[]).includes(match[1] as string)) {
    throw new Error(
      `--field="${options.field ?? ''}" is not "<Parent>.<field>": write e.g. --field=Query.thingStatus, with Parent ${GRAPHQL_PARENT_TYPES.join(' or ')}.`,
    );
  }
  const [, parent, field] = match as unknown as [string, string, string];
  const owned = GRAPHQL_APIS.filter((a) => a.domain === domain);
  if (owned.length !== 1) {
    const owners = GRAPHQL_APIS.map((a) => `${a.domain} (API "${a.name}", ${a.schemaFile})`);
    throw new Error(
      `--domain=${domain} owns ${owned.length ? 'several GraphQL APIs' : 'no GraphQL API'} in GRAPHQL_APIS (libs/manifest/src/graphql.ts): ` +
        `${owners.length ? `the domains with one are ${owners.join(', ')}; pass one of them as --domain` : 'none has one'}, or declare the API there first.`,
    );
  }
  const api = owned[0] as GraphqlApiSpec;
  const resolvedBy = graphqlResolverManifest(tree, api.name, parent, field);
  if (resolvedBy) {
    throw new Error(
      `${parent}.${field} of the "${api.name}" GraphQL API is already resolved by ${resolvedBy}: AppSync holds one resolver per field; pick another --field, or move the trigger out of that manifest first.`,
    );
  }
  const sdl = tree.read(api.schemaFile, 'utf8');
  if (sdl === null) {
    throw new Error(
      `${api.schemaFile} (the SDL of the "${api.name}" API in GRAPHQL_APIS) is missing: restore it, then run the generator again.`,
    );
  }
  let document;
  try {
    document = parse(sdl);
  } catch (error) {
    throw new Error(
      `${api.schemaFile} is not valid GraphQL (${(error as Error).message.split('\n')[0]}): fix the SDL, then run the generator again.`,
    );
  }
  const type = document.definitions.find(
    (d): d is ObjectTypeDefinitionNode =>
      d.kind === Kind.OBJECT_TYPE_DEFINITION && d.name.value === parent,
  );
  if (!type?.loc) {
    throw new Error(
      `${api.schemaFile} has no "type ${parent} { … }": add it (and to the schema block) first, or resolve a field of another root type.`,
    );
  }
  const existing = type.fields?.find((f) => f.name.value === field);
  if (existing) {
    const shape = `(${(existing.arguments ?? []).map((a) => print(a)).join(', ')}): ${print(existing.type)}`;
    if (shape !== GENERATED_FIELD_SHAPE) {
      throw new Error(
        `${parent}.${field} is in ${api.schemaFile} as ${field}${shape}, and the generator writes resolvers of ${field}${GENERATED_FIELD_SHAPE}: pick a new --field (it is added to the SDL), or write this resolver by hand.`,
      );
    }
    return { api, parent, field };
  }
  // The type's location ends just after its closing brace.
  const close = type.loc.end - 1;
  const last = type.fields?.at(-1);
  const indent = last?.loc ? ' '.repeat(last.loc.startToken.column - 1) : '  ';
  const added =
    `${sdl[close - 1] === '\n' ? '' : '\n'}` +
    `${indent}"Resolved by the ${options.name} Lambda. Generated: give it its real arguments, type and description."\n` +
    `${indent}${field}${GENERATED_FIELD_SHAPE}\n`;
  return { api, parent, field, sdl: sdl.slice(0, close) + added + sdl.slice(close) };
}

/** The manifest in the tree whose `graphql` trigger already resolves that field, if any. */
function graphqlResolverManifest(
  tree: Tree,
  api: string,
  parent: string,
  field: string,
): string | undefined {
  if (!tree.exists('apps')) return undefined;
  for (const app of tree.children('apps').sort()) {
    const file = `apps/${app}/lambda.manifest.json`;
    const text = tree.read(file, 'utf8');
    if (text === null) continue;
    const triggers = (JSON.parse(text) as { triggers?: Record<string, unknown>[] }).triggers ?? [];
    if (
      triggers.some(
        (t) => t.type === 'graphql' && t.api === api && t.parent === parent && t.field === field,
      )
    )
      return file;
  }
  return undefined;
}

/** A request path for the fixture: each `{param}` (or `{param+}`) filled with `example-<param>`. */
function example(path: string): { examplePath: string; exampleParameters: Record<string, string> } {
  const exampleParameters: Record<string, string> = {};
  const examplePath = path.replace(/\{(\w+)\+?\}/g, (_all, param: string) => {
    exampleParameters[param] = `example-${param}`;
    return `example-${param}`;
  });
  return { examplePath, exampleParameters };
}

/**
 * Adds the generated contract to `libs/events/src/edge/index.ts`: its re-export and its entry in
 * `EDGE_SCHEMAS`, the catalog the manifests' `response` names are checked against.
 */
function registerEdgeSchema(tree: Tree, fileName: string, schemaName: string): void {
  const indexFile = `${EDGE_CONTRACTS_DIR}/index.ts`;
  const source = tree.read(indexFile, 'utf8');
  const close = '} as const satisfies';
  if (
    source === null ||
    !source.includes('export const EDGE_SCHEMAS = {') ||
    !source.includes(close)
  ) {
    throw new Error(
      `${indexFile} has no "export const EDGE_SCHEMAS = { … ${close} …": restore it, or register ${schemaName} there by hand.`,
    );
  }
  const importLine = `import { ${schemaName}Schema } from './${fileName}';\n`;
  const lines = source.split('\n');
  const lastImport = lines.reduce((at, line, i) => (line.startsWith('import ') ? i : at), -1);
  lines.splice(lastImport + 1, 0, importLine.trimEnd());
  let next = lines.join('\n');
  next = next.replace(
    /(export \* from '[^']+';\n)(?![\s\S]*export \* from)/,
    `$1export * from './${fileName}';\n`,
  );
  next = next.replace(close, `  ${schemaName}: ${schemaName}Schema,\n${close}`);
  tree.write(indexFile, next);
}

/**
 * Formats every file the generator wrote with the workspace's Prettier config, so the result
 * passes `prettier --check` whatever the name's length. (Nx 23's `formatFiles` looks for oxfmt
 * and silently skips Prettier when oxfmt is absent.)
 */
async function formatWithPrettier(tree: Tree): Promise<void> {
  const prettier = await import('prettier');
  for (const change of tree.listChanges()) {
    if (change.type === 'DELETE' || !change.content) continue;
    const filepath = join(tree.root, change.path);
    const info = await prettier.getFileInfo(filepath);
    if (info.ignored || !info.inferredParser) continue;
    const config = (await prettier.resolveConfig(filepath)) ?? {};
    tree.write(
      change.path,
      await prettier.format(change.content.toString('utf8'), { ...config, filepath }),
    );
  }
}

export default lambdaGenerator;
