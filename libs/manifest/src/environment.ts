import { NON_BUCKET_KINDS } from './intents';
import type { Heap, LambdaManifest } from './schema';

/** What an environment offers a function's configuration. */
export interface EnvironmentContext {
  /** Environment name (dev, staging, prod, local). */
  environment: string;
  /** Logical bucket name → real bucket name. */
  buckets: Readonly<Record<string, string>>;
  /**
   * Logical bus name → real EventBridge bus name, e.g. `{ platform: 'slipway-dev-platform' }`
   * (the sandbox passes its local names, e.g. `{ platform: 'slipway-local-platform' }`).
   */
  buses?: Readonly<Record<string, string>>;
  /**
   * Secrets Manager name prefix of the environment, `<namePrefix>/<env>` (e.g. `slipway/dev`):
   * `read secret:<name>` gives `<NAME>_SECRET_NAME` = `<secretPrefix>/<name>`, the secret's name,
   * never its value.
   */
  secretPrefix?: string;
  /** Logical table name → real DynamoDB table name: `TABLE_<NAME>` for every table intent. */
  tables?: Readonly<Record<string, string>>;
  /**
   * Logical email template → real SES template name: `EMAIL_TEMPLATE_<NAME>` for every
   * `send email:<name>`.
   */
  emailTemplates?: Readonly<Record<string, string>>;
  /** The environment's sender: `EMAIL_FROM` = `fromAddress` for a function that sends email. */
  email?: { fromAddress: string };
  /**
   * SSM parameter root of the environment, `/<namePrefix>/<env>` (e.g. `/slipway/dev`): every
   * `read param:<path>` without a wildcard gives `<PATH>_PARAM_NAME` = `<parameterRoot>/<path>`
   * (`users/service-url` → `USERS_SERVICE_URL_PARAM_NAME`), the parameter's name, never its value.
   */
  parameterRoot?: string;
}

/** `stripe-webhook` → `STRIPE_WEBHOOK`: the name part of a `BUCKET_<NAME>`, `BUS_<NAME>`,
 * `TABLE_<NAME>` or `<NAME>_SECRET_NAME` variable. */
const envSuffix = (name: string) => name.toUpperCase().replace(/-/g, '_');

/**
 * The environment variables a function runs with, derived from its manifest: its own
 * `environment`, `BUCKET_<NAME>` for every bucket its permissions name, `BUS_<NAME>` for every
 * `publish bus:<name>`, `TABLE_<NAME>` for every `read`/`write table:<name>`, `EMAIL_FROM` and
 * `EMAIL_TEMPLATE_<NAME>` (the real SES template name) for every `send email:<name>`,
 * `<NAME>_SECRET_NAME` for every `read secret:<name>` (the secret's name, so the
 * value is fetched at run time and never sits in the configuration; `_SECRET_NAME`, because the
 * manifest schema, the lambda-function module and SLW-LAMBDA-004 refuse a secret-like variable
 * that does not end in `_NAME`, `_ARN`, ...), Powertools' service name and
 * namespace and `SLIPWAY_ENVIRONMENT`, and `NODE_OPTIONS` with the V8 heap limits of a manifest
 * that has `heap` ({@link heapNodeOptions}; no other function gets `NODE_OPTIONS`). No
 * `--enable-source-maps`: the source map is
 * not in the zip (issue 17) and the flag cost init time on every cold start; stack traces are
 * decoded after the fact with `npm run slipway -- stack`. The stacks and the sandbox
 * both use this, so a function sees the same configuration in AWS and locally. A bus or secret
 * the context does not offer gets no variable (as for buckets): the function's config helper then
 * fails naming the missing variable.
 *
 * @example
 * lambdaEnvironment(manifest, {
 *   environment: 'dev',
 *   buckets: { media: 'slipway-dev-media-123456789012' },
 *   buses: { platform: 'slipway-dev-platform' },
 *   secretPrefix: 'slipway/dev',
 * });
 * // { BUS_PLATFORM: 'slipway-dev-platform', STRIPE_WEBHOOK_SECRET_NAME: 'slipway/dev/stripe-webhook', ... }
 */
export function lambdaEnvironment(
  manifest: LambdaManifest,
  context: EnvironmentContext,
): Record<string, string> {
  const buckets = Object.fromEntries(
    referencedBuckets(manifest)
      .filter((b) => b in context.buckets)
      .sort()
      .map((b) => [`BUCKET_${envSuffix(b)}`, context.buckets[b]]),
  );
  const buses = Object.fromEntries(
    referenced(manifest, 'publish', 'bus')
      .filter((b) => context.buses && b in context.buses)
      .map((b) => [`BUS_${envSuffix(b)}`, context.buses![b]]),
  );
  const tables = Object.fromEntries(
    [
      ...new Set([
        ...referenced(manifest, 'read', 'table'),
        ...referenced(manifest, 'write', 'table'),
      ]),
    ]
      .filter((t) => context.tables && t in context.tables)
      .sort()
      .map((t) => [`TABLE_${envSuffix(t)}`, context.tables![t]]),
  );
  const templates = referenced(manifest, 'send', 'email');
  const emails = Object.fromEntries([
    ...(templates.length && context.email ? [['EMAIL_FROM', context.email.fromAddress]] : []),
    ...templates
      .filter((t) => context.emailTemplates && t in context.emailTemplates)
      .map((t) => [`EMAIL_TEMPLATE_${envSuffix(t)}`, context.emailTemplates![t]]),
  ]);
  const secrets = Object.fromEntries(
    context.secretPrefix === undefined
      ? []
      : referenced(manifest, 'read', 'secret').map((s) => [
          `${envSuffix(s)}_SECRET_NAME`,
          `${context.secretPrefix}/${s}`,
        ]),
  );
  const params = Object.fromEntries(
    context.parameterRoot === undefined
      ? []
      : referenced(manifest, 'read', 'param')
          .filter((p) => !p.includes('*'))
          .map((p) => [
            `${p.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_PARAM_NAME`,
            `${context.parameterRoot}/${p}`,
          ]),
  );
  return {
    ...manifest.environment,
    ...buckets,
    ...buses,
    ...tables,
    ...emails,
    ...secrets,
    ...params,
    ...(manifest.heap ? { NODE_OPTIONS: heapNodeOptions(manifest.heap) } : {}),
    POWERTOOLS_SERVICE_NAME: manifest.name,
    POWERTOOLS_METRICS_NAMESPACE: `Slipway/${manifest.domain}`,
    SLIPWAY_ENVIRONMENT: context.environment,
  };
}

/**
 * The `NODE_OPTIONS` of a manifest's `heap`: what Lambda (through {@link lambdaEnvironment}), the
 * sandbox (which runs functions with that environment) and the bench's ETL worker give node.
 *
 * @example
 * heapNodeOptions({ maxOldSpaceMb: 128, maxSemiSpaceMb: 8 });
 * // '--max-old-space-size=128 --max-semi-space-size=8'
 */
export function heapNodeOptions(heap: Heap): string {
  return [
    `--max-old-space-size=${heap.maxOldSpaceMb}`,
    ...(heap.maxSemiSpaceMb === undefined ? [] : [`--max-semi-space-size=${heap.maxSemiSpaceMb}`]),
  ].join(' ');
}

/**
 * The logical buckets a function's permission intents name (`read media:uploads/*` → `media`),
 * sorted, each once: the buckets it gets a `BUCKET_<NAME>` variable for.
 */
export function referencedBuckets(manifest: Pick<LambdaManifest, 'permissions'>): string[] {
  const names = manifest.permissions
    .map((p) => /^\S+ ([a-z][a-z0-9-]*):/.exec(p)?.[1])
    .filter((b): b is string => !!b && !NON_BUCKET_KINDS.includes(b));
  return [...new Set(names)].sort();
}

/** The names after `<verb> <kind>:` in a function's intents, sorted, each once. */
function referenced(manifest: Pick<LambdaManifest, 'permissions'>, verb: string, kind: string) {
  const prefix = `${verb} ${kind}:`;
  const names = manifest.permissions
    .filter((p) => p.startsWith(prefix) && p.length > prefix.length)
    .map((p) => p.slice(prefix.length));
  return [...new Set(names)].sort();
}
