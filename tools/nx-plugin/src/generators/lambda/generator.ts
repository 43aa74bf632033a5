import { join } from 'node:path';
import { generateFiles, names, type Tree } from '@nx/devkit';
import { parseManifest } from '@slipway/manifest';

/** Options of the `lambda` generator (see schema.json). */
export interface LambdaGeneratorSchema {
  name: string;
  domain?: string;
  description?: string;
  memory?: number;
  timeout?: number;
}

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
  };
  // Fail here, not at build time, on a name, domain, memory or timeout the build would refuse.
  parseManifest(manifest, `${projectRoot}/lambda.manifest.json`);

  tree.write(`${projectRoot}/lambda.manifest.json`, `${JSON.stringify(manifest, null, 2)}\n`);
  generateFiles(tree, join(__dirname, 'files'), projectRoot, {
    ...names(name),
    name,
    domain,
    tmpl: '',
  });
  await formatWithPrettier(tree);
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
