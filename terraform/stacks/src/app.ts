import { App } from 'cdktn';
import { loadStacksConfig } from './config';
import { DomainStack } from './domain-stack';
import { DOMAINS, type DomainSpec } from './domains';
import { discoverLambdas } from './lambdas';
import { join } from 'node:path';

/** Name of the stack of one domain in one environment. */
export const stackName = (domain: string, env: string) => `${domain}-${env}`;

/**
 * Builds the CDK Terrain app: for every environment in `environments.json`, one stack per domain
 * that has Lambdas or declared resources. Nothing is hand-listed: Lambdas come from
 * `apps/<name>/lambda.manifest.json`, their packages from `dist/apps/<name>/`.
 */
export function buildApp(root: string, outdir: string): { app: App; stacks: string[] } {
  const config = loadStacksConfig(join(root, 'terraform/stacks/environments.json'));
  const lambdas = discoverLambdas(root);
  const domains = [
    ...new Set([...Object.keys(DOMAINS), ...lambdas.map((l) => l.manifest.domain)]),
  ].sort();
  const app = new App({ outdir, skipValidation: false });
  const stacks: string[] = [];
  for (const [envName, env] of Object.entries(config.environments)) {
    for (const domain of domains) {
      const spec: DomainSpec = DOMAINS[domain] ?? {
        description: `Lambdas of the ${domain} domain.`,
        buckets: [],
      };
      const id = stackName(domain, envName);
      new DomainStack(app, id, {
        root,
        config,
        environment: { ...env, name: envName },
        domain,
        spec,
        lambdas: lambdas.filter((l) => l.manifest.domain === domain),
      });
      stacks.push(id);
    }
  }
  return { app, stacks };
}
