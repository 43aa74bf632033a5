import { App } from 'cdktn';
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EDGE_SCHEMAS } from '@slipway/events';
import { apiAuthorizer, routeTable, TABLES } from '@slipway/manifest';
import type { ApiSpec } from './api';
import { loadStacksConfig } from './config';
import { DomainStack } from './domain-stack';
import { DOMAINS, type DomainSpec } from './domains';
import { MissingLockFileError, UnknownReferenceError } from './errors';
import { discoverLambdas } from './lambdas';

/** The provider lock file every stack is initialized with, committed in terraform/stacks. */
export const LOCK_FILE = '.terraform.lock.hcl';

/** Name of the stack of one domain in one environment. */
export const stackName = (domain: string, env: string) => `${domain}-${env}`;

/**
 * Builds the CDK Terrain app: for every environment in `environments.json`, one stack per domain
 * that has Lambdas or declared resources. Nothing is hand-listed: Lambdas come from
 * `apps/<name>/lambda.manifest.json`, their packages from `dist/apps/<name>/`, and the REST API
 * (when a manifest declares an `http` trigger) from the routes of all of them together.
 */
export function buildApp(root: string, outdir: string): { app: App; stacks: string[] } {
  const config = loadStacksConfig(join(root, 'terraform/stacks/environments.json'));
  const lambdas = discoverLambdas(root);
  const domains = [
    ...new Set([
      ...Object.keys(DOMAINS),
      ...TABLES.map((t) => t.domain),
      ...lambdas.map((l) => l.manifest.domain),
    ]),
  ].sort();
  const manifests = lambdas.map((l) => l.manifest);
  const routes = routeTable(manifests);
  const authorizer = apiAuthorizer(manifests);
  // One REST API per environment, in the stack of the authorizer's domain (or, for an API of
  // public routes only, of its first route's). No route: no API, and the stacks are unchanged.
  const apiDomain = routes.length
    ? manifests.find((m) => m.name === (authorizer?.lambda ?? routes[0].lambda))!.domain
    : undefined;
  const api: ApiSpec | undefined = apiDomain
    ? {
        routes,
        authorizer,
        schemas: EDGE_SCHEMAS,
        version: (
          JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
        ).version,
      }
    : undefined;
  // One alarm topic per environment, in the stack of the one domain that owns it.
  const topicOwners = Object.keys(DOMAINS).filter((d) => DOMAINS[d]!.alarmTopic);
  if (topicOwners.length !== 1)
    throw new UnknownReferenceError(
      `terraform/stacks/src/domains/index.ts: exactly one domain must have alarmTopic: true (the stack that holds each environment's alarm topic); found ${topicOwners.length ? topicOwners.join(', ') : 'none'}.`,
    );
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
        ...(domain === apiDomain ? { api } : {}),
      });
      stacks.push(id);
    }
  }
  return { app, stacks };
}

/**
 * Copies the committed `terraform/stacks/.terraform.lock.hcl` into every synthesized stack
 * folder (`<outdir>/stacks/<stack>/`), so that every stack of every environment initializes the
 * same provider build and CI can `terraform init -lockfile=readonly`. One file serves all stacks:
 * they share one provider and one constraint (`AWS_PROVIDER_CONSTRAINT`, the modules' own).
 */
export function copyLockFile(root: string, outdir: string, stacks: string[]): void {
  const source = join(root, 'terraform/stacks', LOCK_FILE);
  if (!existsSync(source)) {
    throw new MissingLockFileError(
      `${source} is missing: restore it from git, or recreate it with terraform providers lock -platform=linux_amd64 (terraform/stacks/README.md, "Provider lock file").`,
    );
  }
  for (const stack of stacks) copyFileSync(source, join(outdir, 'stacks', stack, LOCK_FILE));
}
