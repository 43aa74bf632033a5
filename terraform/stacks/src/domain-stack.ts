import { S3Backend, TerraformHclModule, TerraformOutput, TerraformStack } from 'cdktn';
import type { Construct } from 'constructs';
import {
  artifactBucketName,
  artifactKey,
  asyncInvocation,
  compilePermissions,
  lambdaEnvironment,
  PermissionIntentError,
  type ResourceCatalog,
  TABLES,
} from '@slipway/manifest';
import {
  authorizerEnvironment,
  authorizerStatements,
  checkEnvironmentSize,
  restApiVariables,
  routeRoles,
  type ApiSpec,
} from './api';
import { AwsProvider } from './aws-provider';
import type { EnvironmentConfig, StacksConfig } from './config';
import type { FlowName } from '@slipway/flows';
import { DOMAINS, type DomainSpec } from './domains';
import {
  distributedMaps,
  loadFlow,
  loadSchedule,
  loadTrigger,
  placeholdersOf,
  resolvePlaceholders,
} from '@slipway/flows';
import { UnknownReferenceError } from './errors';
import { addGraphqlApis } from './graphql';
import { addEmailTemplates, addSchedules, emailTemplateNames } from './jobs';
import type { DiscoveredLambda } from './lambdas';
import { moduleSource } from './modules';
import { addAlarmTopic, addObservability, routeAlarms } from './observability';

/** Everything one `<domain>-<env>` stack is made of. */
export interface DomainStackProps {
  root: string;
  config: StacksConfig;
  environment: EnvironmentConfig;
  domain: string;
  spec: DomainSpec;
  lambdas: DiscoveredLambda[];
  /** The environment's REST API, on the one stack that deploys it (the authorizer's domain). */
  api?: ApiSpec;
}

/** Real S3 bucket name of a domain's logical bucket. */
export function bucketName(config: StacksConfig, env: EnvironmentConfig, logical: string): string {
  return `${config.namePrefix}-${env.name}-${logical}-${env.accountId}`;
}

/** Real DynamoDB table name of a domain's logical table. */
export function tableName(config: StacksConfig, env: EnvironmentConfig, logical: string): string {
  return `${config.namePrefix}-${env.name}-${logical}`;
}

/** Real Lambda function name of a manifest's `name`. */
export function functionName(config: StacksConfig, env: EnvironmentConfig, name: string): string {
  return `${config.namePrefix}-${env.name}-${name}`;
}

/**
 * The permissions boundary every workload role carries. The bootstrap's deploy roles may only
 * create roles with it (terraform/bootstrap/iam.tf), so no deployed role can exceed it.
 */
export function workloadBoundaryArn(config: StacksConfig, env: EnvironmentConfig): string {
  return `arn:${env.partition}:iam::${env.accountId}:policy/${config.namePrefix}/bootstrap/${config.namePrefix}-${env.name}-workload-boundary`;
}

/**
 * The environment's customer-managed key that encrypts its state, by alias ARN
 * (`alias/<namePrefix>-<env>-delivery`, created per environment by terraform/bootstrap). The
 * state bucket's policy requires SSE-KMS with exactly this key under `<env>/`, so a state
 * written with S3-managed keys or another key is refused.
 */
export function stateKeyArn(config: StacksConfig, env: EnvironmentConfig): string {
  return `arn:${env.partition}:kms:${env.region}:${env.accountId}:alias/${config.namePrefix}-${env.name}-delivery`;
}

/** Terraform-safe identifier from a kebab-case name. */
const tfId = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');

/**
 * One domain in one environment: its buckets (governed `bucket` module) and every Lambda whose
 * manifest names the domain (governed `lambda-function` module), with IAM compiled from the
 * manifest's permission intents. State lives in the environment's state bucket with S3-native
 * locking; every resource carries the default tags.
 */
export class DomainStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: DomainStackProps) {
    super(scope, id);
    const { root, config, environment: env, domain, spec, lambdas, api } = props;

    new AwsProvider(this, 'aws', {
      region: env.region,
      allowedAccountIds: [env.accountId],
      defaultTags: {
        project: config.project,
        environment: env.name,
        owner: config.owner,
        'cost-center': config.costCenter,
        'managed-by': 'terraform',
        domain,
      },
    });
    const backend = new S3Backend(this, {
      bucket: `${config.namePrefix}-tfstate-${env.accountId}`,
      key: `${env.name}/${id}.tfstate`,
      region: env.region,
      encrypt: true,
      kmsKeyId: stateKeyArn(config, env),
    });
    // S3-native state locking (Terraform >= 1.10). An override, not cdktn's typed `useLockfile`:
    // that one needs a `targetVersions` context (terraform >= 1.10) and drops the override note
    // from the `//` metadata, so the output would no longer equal what cdktf 0.21 wrote.
    backend.addOverride('use_lockfile', true);

    const catalog: ResourceCatalog = {
      environment: env.name,
      partition: env.partition,
      region: env.region,
      accountId: env.accountId,
      // Every domain's buckets, as for buses: a Lambda may name another domain's bucket
      // (edge-uploads presigns into media's uploads/). The bucket itself stays in its domain's
      // stack; the name is deterministic, so the grant needs no cross-stack reference.
      buckets: Object.fromEntries(
        Object.values(DOMAINS)
          .flatMap((d) => d.buckets)
          .map((b) => [b.name, bucketName(config, env, b.name)]),
      ),
      buses: Object.fromEntries(
        Object.values(DOMAINS)
          .flatMap((d) => d.buses ?? [])
          .map((b) => [b, `${config.namePrefix}-${env.name}-${b}`]),
      ),
      tables: Object.fromEntries(TABLES.map((t) => [t.name, tableName(config, env, t.name)])),
      emailTemplates: emailTemplateNames(config, env),
      ...(env.email ? { email: env.email } : {}),
      parameterRoot: `/${config.namePrefix}/${env.name}`,
      secretPrefix: `${config.namePrefix}/${env.name}`,
    };

    for (const bucket of spec.buckets) {
      const module = new TerraformHclModule(this, `bucket_${tfId(bucket.name)}`, {
        source: moduleSource('bucket', id),
        skipAssetCreationFromLocalModules: true,
        variables: {
          bucket_name: catalog.buckets[bucket.name],
          eventbridge_notifications: bucket.eventBridge ?? false,
          ...(bucket.lifecycleRules ? { lifecycle_rules: bucket.lifecycleRules } : {}),
          ...(env.s3AccessLogs
            ? {
                // Created per account by terraform/bootstrap, with the logging service's grant;
                // logs land under the module's default prefix s3-access-logs/<bucket>/.
                access_log_bucket: `${config.namePrefix}-accesslogs-${env.accountId}`,
              }
            : {}),
          tags: { bucket: bucket.name },
        },
      });
      new TerraformOutput(this, `bucket_${tfId(bucket.name)}_arn`, {
        value: module.get('bucket_arn'),
      });
    }

    for (const table of TABLES.filter((t) => t.domain === domain)) {
      const module = new TerraformHclModule(this, `table_${tfId(table.name)}`, {
        source: moduleSource('table', id),
        skipAssetCreationFromLocalModules: true,
        variables: {
          table_name: catalog.tables![table.name],
          hash_key: table.hashKey,
          hash_key_type: table.hashKeyType,
          ...(table.rangeKey
            ? { range_key: table.rangeKey, range_key_type: table.rangeKeyType ?? 'S' }
            : {}),
          ...(table.ttlAttribute ? { ttl_attribute: table.ttlAttribute } : {}),
          ...(table.globalSecondaryIndexes
            ? {
                global_secondary_indexes: table.globalSecondaryIndexes.map((g) => ({
                  name: g.name,
                  hash_key: g.hashKey,
                  hash_key_type: g.hashKeyType,
                  ...(g.rangeKey
                    ? { range_key: g.rangeKey, range_key_type: g.rangeKeyType ?? 'S' }
                    : {}),
                  projection_type: g.projection ?? 'ALL',
                })),
              }
            : {}),
          // Prod (strict) keeps its tables through a mistaken destroy; dev and staging can be
          // torn down and rebuilt.
          deletion_protection: env.profile === 'strict',
          tags: { table: table.name, purpose: table.purpose },
        },
      });
      new TerraformOutput(this, `table_${tfId(table.name)}_arn`, {
        value: module.get('table_arn'),
      });
    }

    addEmailTemplates(this, domain, { config, env, stack: id });

    for (const lambda of lambdas) {
      const m = lambda.manifest;
      let statements;
      try {
        statements = compilePermissions(m.permissions, catalog);
      } catch (error) {
        if (error instanceof PermissionIntentError) {
          // The failing intent opens the message in quotes: name its index too.
          const at = m.permissions.findIndex((p) => error.message.startsWith(`"${p}"`));
          throw new UnknownReferenceError(
            `apps/${m.name}/lambda.manifest.json: permissions${at < 0 ? '' : `.${at}`}: ${error.message}`,
            {
              cause: error,
            },
          );
        }
        throw error;
      }
      let environment = lambdaEnvironment(m, {
        environment: env.name,
        buckets: catalog.buckets,
        buses: catalog.buses,
        tables: catalog.tables,
        emailTemplates: catalog.emailTemplates,
        ...(catalog.email ? { email: catalog.email } : {}),
        secretPrefix: catalog.secretPrefix,
        parameterRoot: catalog.parameterRoot,
      });
      if (api?.authorizer?.lambda === m.name) {
        // Its policy needs every JWT route's roles, its verifier the environment's identity
        // provider (never a secret: at most the name of one). Without an auth block, the
        // rest-api variables below fail synthesis naming the field.
        const extra = {
          ROUTE_ROLES: routeRoles(api.routes),
          ...(env.auth ? authorizerEnvironment(env.auth) : {}),
        };
        const clash = Object.keys(extra).find((k) => k in environment);
        if (clash)
          throw new UnknownReferenceError(
            `apps/${m.name}/lambda.manifest.json: environment.${clash} is set by the stacks for the API authorizer (from the routes and environments.json auth): remove it from the manifest.`,
          );
        environment = { ...environment, ...extra };
        checkEnvironmentSize(m.name, environment);
        if (env.auth) statements = [...statements, ...authorizerStatements(env.auth, env)];
      }
      const fn = new TerraformHclModule(this, `lambda_${tfId(m.name)}`, {
        source: moduleSource('lambda-function', id),
        skipAssetCreationFromLocalModules: true,
        variables: {
          function_name: functionName(config, env, m.name),
          description: m.description,
          handler: 'handler.handler',
          runtime: m.runtime,
          architecture: m.architecture,
          memory_size: m.memory,
          ephemeral_storage_size: m.ephemeralStorageMb,
          timeout: m.timeout,
          reserved_concurrent_executions: m.reservedConcurrency ?? -1,
          environment_variables: environment,
          // Content-addressed in the bootstrap's artifact bucket (tools/delivery publish-artifacts
          // uploads it before the apply): the same zip keeps the same key and hash, so a rebuilt
          // but unchanged Lambda plans no change. The plan never reads the object.
          s3_bucket: artifactBucketName(config.namePrefix, env.accountId),
          s3_key: artifactKey(env.name, m.name, lambda.sha256),
          source_code_hash: lambda.sha256,
          policy_statements: statements,
          // Known account: the role policy is fully readable in the plan JSON.
          account_id: env.accountId,
          permissions_boundary_arn: workloadBoundaryArn(config, env),
          log_retention_in_days: retentionDays(env, m.logRetentionDays),
          // platform.report (duration, init duration) is an INFO system log: the domain's saved
          // queries of slow invocations and cold starts read it.
          system_log_level: 'INFO',
          metrics_namespace: `Slipway/${m.domain}`,
          service_name: m.name,
          metric_ratio_alarms: m.alarms.ratios.map((r) => ({
            name: r.name,
            numerator: r.numerator,
            denominator: r.denominator,
            threshold: r.threshold,
            period_seconds: r.periodSeconds,
          })),
          alarms: {
            errors_threshold: m.alarms.errors,
            throttles_threshold: m.alarms.throttles,
            ...(m.alarms.durationP99Ms
              ? { duration_p99_threshold_ms: m.alarms.durationP99Ms }
              : {}),
          },
          ...asyncVariables(m),
          tags: { function: m.name },
        },
      });
      new TerraformOutput(this, `lambda_${tfId(m.name)}_arn`, { value: fn.get('function_arn') });
      this.addEventRules(m, fn, { config, env, catalog, stack: id });
      addSchedules(this, m, fn, {
        config,
        env,
        stack: id,
        functionName: (name) => functionName(config, env, name),
        boundaryArn: workloadBoundaryArn(config, env),
      });
    }

    for (const bus of spec.buses ?? []) {
      const module = new TerraformHclModule(this, `bus_${tfId(bus)}`, {
        source: moduleSource('event-bus', id),
        skipAssetCreationFromLocalModules: true,
        variables: { name: catalog.buses[bus], account_id: env.accountId, tags: { bus } },
      });
      new TerraformOutput(this, `bus_${tfId(bus)}_arn`, { value: module.get('bus_arn') });
    }

    for (const flow of spec.flows ?? []) {
      this.addFlow(flow, { root, config, env, domain, spec, catalog, lambdas, stack: id });
    }

    if (api) {
      // Function names, not module outputs: a routed Lambda may live in another domain's stack,
      // and literal ARNs keep the body, its checks and every permission readable in the plan.
      const restApi = new TerraformHclModule(this, 'rest_api', {
        source: moduleSource('rest-api', id),
        skipAssetCreationFromLocalModules: true,
        variables: restApiVariables(
          api,
          config,
          env,
          (name) => functionName(config, env, name),
          retentionDays(env, 30),
        ),
      });
      new TerraformOutput(this, 'rest_api_invoke_url', { value: restApi.get('invoke_url') });
      new TerraformOutput(this, 'rest_api_execution_arn', { value: restApi.get('execution_arn') });
    }

    // The GraphQL APIs this domain owns (GRAPHQL_APIS), resolved by the manifests' graphql triggers.
    addGraphqlApis(this, {
      root,
      config,
      env,
      domain,
      stack: id,
      functionName: (name) => functionName(config, env, name),
      permissionsBoundaryArn: workloadBoundaryArn(config, env),
      logRetentionDays: retentionDays(env, 30),
    });

    if (spec.alarmTopic) addAlarmTopic(this, { config, env, stack: id });
    // Last: every module with alarms is in the stack now, whoever added it.
    const alarmed = routeAlarms(this, { config, env, domain });
    addObservability(this, {
      config,
      env,
      domain,
      spec,
      stack: id,
      lambdas,
      functionName: (name) => functionName(config, env, name),
      hasRestApi: api !== undefined,
      alarmed,
    });
  }

  /**
   * The manifest's `event` triggers: one `event-rule` module each, on the declared bus (a bus of
   * another domain's stack is addressed by its deterministic name), delivering to the function
   * with the trigger's retry policy and the module's dead-letter queue, the invoke permission
   * scoped to that rule's ARN.
   */
  private addEventRules(
    m: DiscoveredLambda['manifest'],
    fn: TerraformHclModule,
    ctx: { config: StacksConfig; env: EnvironmentConfig; catalog: ResourceCatalog; stack: string },
  ): void {
    const { config, env, catalog, stack } = ctx;
    const events = m.triggers.flatMap((t, index) => (t.type === 'event' ? [{ t, index }] : []));
    for (const [n, { t, index }] of events.entries()) {
      const bus = catalog.buses[t.bus];
      if (!bus)
        throw new UnknownReferenceError(
          `apps/${m.name}/lambda.manifest.json: triggers.${index}.bus: no event bus "${t.bus}" is declared for environment ${env.name} (declared: ${Object.keys(catalog.buses).join(', ') || 'none'}). Declare it in a domain under terraform/stacks/src/domains/ or fix the name.`,
        );
      const name = `${functionName(config, env, m.name)}-${n + 1}`;
      if (name.length > 64)
        throw new UnknownReferenceError(
          `apps/${m.name}/lambda.manifest.json: triggers.${index}: its rule would be named ${name} (${name.length} characters), over EventBridge's 64: shorten the Lambda's name.`,
        );
      new TerraformHclModule(this, `lambda_${tfId(m.name)}_event_${n + 1}`, {
        source: moduleSource('event-rule', stack),
        skipAssetCreationFromLocalModules: true,
        // The target ARN is built from known parts (readable in the plan, for review and
        // governance), so the dependency on the function is said explicitly.
        dependsOn: [fn],
        variables: {
          name,
          description: `${m.name}: ${m.description}`.slice(0, 512),
          event_bus_name: bus,
          event_pattern: JSON.stringify(t.pattern),
          function_arn: `arn:${env.partition}:lambda:${env.region}:${env.accountId}:function:${functionName(config, env, m.name)}`,
          function_name: functionName(config, env, m.name),
          maximum_event_age_in_seconds: t.retry.maximumEventAgeSeconds,
          maximum_retry_attempts: t.retry.maximumAttempts,
          // Known account: the rule ARN, the permission's source and the queue policy are
          // readable in the plan.
          account_id: env.accountId,
          tags: { function: m.name },
        },
      });
    }
  }

  /**
   * A flow of libs/flows as deployed: its state machine (the very ASL file, placeholders turned
   * into ARNs built from known names so the definition is readable in the plan), the MediaConvert
   * role it passes, and the EventBridge rule that starts it from the bucket's S3 events.
   */
  private addFlow(
    flow: FlowName,
    ctx: {
      root: string;
      config: StacksConfig;
      env: EnvironmentConfig;
      domain: string;
      spec: DomainSpec;
      catalog: ResourceCatalog;
      lambdas: DiscoveredLambda[];
      stack: string;
    },
  ): void {
    const { config, env, spec, catalog, lambdas, stack } = ctx;
    const prefix = `${config.namePrefix}-${env.name}`;
    const name = `${prefix}-${flow}`;
    const arn = (service: string, resource: string) =>
      `arn:${env.partition}:${service}:${env.region}:${env.accountId}:${resource}`;
    const definition = loadFlow(flow);
    const deployed = new Set(lambdas.map((l) => l.manifest.name));
    const mediaConvertRoleArn = `arn:${env.partition}:iam::${env.accountId}:role/${name}-mediaconvert`;
    const resolved = resolvePlaceholders(definition, (kind, ref) => {
      if (kind === 'lambda')
        return deployed.has(ref) ? arn('lambda', `function:${prefix}-${ref}`) : undefined;
      if (kind === 'bus')
        return catalog.buses[ref] ? arn('events', `event-bus/${catalog.buses[ref]}`) : undefined;
      return ref === 'mediaconvert' ? mediaConvertRoleArn : undefined;
    });
    const refs = placeholdersOf(definition);
    const bucket = spec.buckets[0];
    if (!bucket)
      throw new UnknownReferenceError(
        `Flow ${flow} needs a bucket in its domain ${ctx.domain}: declare one in domains/index.ts.`,
      );
    const bucketName = catalog.buckets[bucket.name];
    // A Distributed Map starts child executions of this state machine and reads its items from
    // and writes its results to the flow's run area (one prefix of the domain's first bucket).
    const maps = distributedMaps(definition);
    const runArea = spec.flowRunAreas?.[flow];
    if (maps.length && !runArea)
      throw new UnknownReferenceError(
        `Flow ${flow} has Distributed Map state(s) ${maps.map((m) => m.state).join(', ')}: declare flowRunAreas.${flow} (the key prefix where its ItemReader reads and its ResultWriter writes, e.g. "staging/_runs/") in domain ${ctx.domain} of terraform/stacks/src/domains/index.ts.`,
      );
    const runObjects = runArea ? [`arn:${env.partition}:s3:::${bucketName}/${runArea}*`] : [];
    const usesMediaConvert = refs.some(([k, r]) => k === 'role' && r === 'mediaconvert');
    if (usesMediaConvert) {
      new TerraformHclModule(this, `flow_${tfId(flow)}_mediaconvert_role`, {
        source: moduleSource('mediaconvert-role', stack),
        skipAssetCreationFromLocalModules: true,
        variables: {
          name: `${name}-mediaconvert`,
          input_object_arns: [`arn:${env.partition}:s3:::${bucketName}/uploads/*`],
          output_object_arns: [`arn:${env.partition}:s3:::${bucketName}/derived/*`],
          account_id: env.accountId,
          permissions_boundary_arn: workloadBoundaryArn(config, env),
          tags: { flow },
        },
      });
    }
    const machine = new TerraformHclModule(this, `flow_${tfId(flow)}`, {
      source: moduleSource('state-machine', stack),
      skipAssetCreationFromLocalModules: true,
      variables: {
        name,
        definition: JSON.stringify(resolved),
        lambda_function_arns: refs
          .filter(([k]) => k === 'lambda')
          .map(([, r]) => arn('lambda', `function:${prefix}-${r}`)),
        event_bus_arns: refs
          .filter(([k]) => k === 'bus')
          .map(([, r]) => arn('events', `event-bus/${catalog.buses[r]}`)),
        mediaconvert_role_arns: usesMediaConvert ? [mediaConvertRoleArn] : [],
        // Only for a flow with a Distributed Map: the other flows' module calls stay as they were.
        ...(maps.length
          ? {
              distributed_map_states: maps.map((m) => m.state),
              item_reader_object_arns: maps.some((m) => m.readsItems) ? runObjects : [],
              result_writer_object_arns: maps.some((m) => m.writesResults) ? runObjects : [],
            }
          : {}),
        account_id: env.accountId,
        permissions_boundary_arn: workloadBoundaryArn(config, env),
        log_retention_in_days: retentionDays(env, 30),
        tags: { flow },
      },
    });
    const schedule = loadSchedule(flow);
    if (schedule) {
      new TerraformHclModule(this, `flow_${tfId(flow)}_schedule`, {
        source: moduleSource('schedule', stack),
        skipAssetCreationFromLocalModules: true,
        dependsOn: [machine],
        variables: {
          name: `${name}-schedule`,
          description: `Starts the ${flow} flow (libs/flows/${flow}.schedule.json).`,
          schedule_expression: schedule.expression,
          timezone: schedule.timezone,
          input: JSON.stringify(schedule.input),
          state_machine_arn: arn('states', `stateMachine:${name}`),
          account_id: env.accountId,
          permissions_boundary_arn: workloadBoundaryArn(config, env),
          tags: { flow },
        },
      });
      new TerraformOutput(this, `flow_${tfId(flow)}_arn`, {
        value: machine.get('state_machine_arn'),
      });
      return;
    }
    const trigger = loadTrigger(flow, bucketName);
    new TerraformHclModule(this, `flow_${tfId(flow)}_trigger`, {
      source: moduleSource('event-trigger', stack),
      skipAssetCreationFromLocalModules: true,
      dependsOn: [machine],
      variables: {
        name: `${name}-trigger`,
        event_pattern: JSON.stringify(trigger.eventPattern),
        // Built from known parts (not the module output) so the rule's role policy is readable in the plan.
        state_machine_arn: arn('states', `stateMachine:${name}`),
        input_paths: trigger.inputPaths,
        input_template: trigger.inputTemplate,
        account_id: env.accountId,
        permissions_boundary_arn: workloadBoundaryArn(config, env),
        tags: { flow },
      },
    });
    new TerraformOutput(this, `flow_${tfId(flow)}_arn`, {
      value: machine.get('state_machine_arn'),
    });
  }
}

/**
 * The lambda-function module's `async_invocation` for a function EventBridge or Scheduler invokes
 * (its manifest's `async`, Lambda's defaults otherwise): the module then sends the record of an
 * invocation that failed every retry to the function's own dead-letter queue as its on-failure
 * destination. Nothing for other functions, whose configuration stays as it was.
 */
function asyncVariables(m: DiscoveredLambda['manifest']): Record<string, unknown> {
  const settings = asyncInvocation(m);
  return settings
    ? {
        async_invocation: {
          maximum_retry_attempts: settings.maximumRetryAttempts,
          maximum_event_age_in_seconds: settings.maximumEventAgeSeconds,
        },
      }
    : {};
}

/** A log group's retention: what was asked, raised to the environment's floor. */
function retentionDays(env: EnvironmentConfig, asked: number): number {
  return Math.max(asked, env.minLogRetentionDays ?? 0);
}
