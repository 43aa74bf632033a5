import { TerraformHclModule, TerraformOutput } from 'cdktn';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import {
  EMAIL_TEMPLATES,
  emailTemplateName,
  InvalidEmailTemplateError,
  InvalidScheduleNameError,
  loadEmailTemplate,
  scheduleResourceName,
  type LambdaManifest,
} from '@slipway/manifest';
import type { EnvironmentConfig, StacksConfig } from './config';
import { UnknownReferenceError } from './errors';
import { moduleSource } from './modules';

/**
 * What the event-driven and scheduled Lambdas (issue 14) add to a domain stack beyond the
 * function: a Scheduler schedule per `schedule` trigger and the SES templates the domain owns.
 * Kept apart from domain-stack.ts, which only calls these.
 */

/**
 * Where the template files are read from: this checkout, as the flows' ASL files are (libs/flows
 * reads them beside its code). They are code of the owning domain, not inputs of one synthesis.
 */
const WORKSPACE = join(__dirname, '../../..');

/** Terraform-safe identifier from a kebab-case name. */
const tfId = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');

interface StackContext {
  config: StacksConfig;
  env: EnvironmentConfig;
  /** The stack's id, for module sources. */
  stack: string;
  /** Real function name of a manifest name. */
  functionName: (name: string) => string;
  /** The bootstrap's workload boundary, which every role carries. */
  boundaryArn: string;
}

/**
 * The manifest's `schedule` triggers: one `schedule` module each, named
 * `<prefix>-<env>-<lambda>-<name>`, invoking the function with the trigger's static input in its
 * time zone, flexible window only when asked, the trigger's retry policy and the module's own
 * dead-letter queue; the Scheduler role may invoke that one function only.
 *
 * @throws {UnknownReferenceError} when a schedule's name would exceed 64 characters, naming the
 *   manifest and the field.
 */
export function addSchedules(
  scope: Construct,
  manifest: LambdaManifest,
  fn: TerraformHclModule,
  ctx: StackContext,
): void {
  const { config, env, stack } = ctx;
  const fnName = ctx.functionName(manifest.name);
  for (const [index, t] of manifest.triggers.entries()) {
    if (t.type !== 'schedule') continue;
    let name: string;
    try {
      name = scheduleResourceName(config.namePrefix, env.name, manifest.name, t.name);
    } catch (error) {
      if (!(error instanceof InvalidScheduleNameError)) throw error;
      throw new UnknownReferenceError(
        `apps/${manifest.name}/lambda.manifest.json: triggers.${index}.name: ${error.message}.`,
        { cause: error },
      );
    }
    new TerraformHclModule(scope, `lambda_${tfId(manifest.name)}_schedule_${tfId(t.name)}`, {
      source: moduleSource('schedule', stack),
      skipAssetCreationFromLocalModules: true,
      // The target ARN is built from known parts (readable in the plan), so the dependency on
      // the function is said explicitly.
      dependsOn: [fn],
      variables: {
        name,
        description: `Invokes ${fnName} (schedule "${t.name}" of apps/${manifest.name}).`.slice(
          0,
          512,
        ),
        schedule_expression: t.expression,
        timezone: t.timezone,
        input: JSON.stringify(t.input),
        ...(t.flexibleWindowMinutes ? { flexible_window_minutes: t.flexibleWindowMinutes } : {}),
        function_arn: `arn:${env.partition}:lambda:${env.region}:${env.accountId}:function:${fnName}`,
        maximum_retry_attempts: t.retry.maximumAttempts,
        maximum_event_age_in_seconds: t.retry.maximumEventAgeSeconds,
        account_id: env.accountId,
        permissions_boundary_arn: ctx.boundaryArn,
        tags: { function: manifest.name, schedule: t.name },
      },
    });
  }
}

/**
 * The SES templates of `EMAIL_TEMPLATES` the domain owns: one `email-template` module each,
 * `<prefix>-<env>-<name>`, from the committed file of this checkout.
 *
 * @throws {UnknownReferenceError} when a template file is missing or malformed, naming it.
 */
export function addEmailTemplates(
  scope: Construct,
  domain: string,
  ctx: Pick<StackContext, 'config' | 'env' | 'stack'>,
): void {
  for (const spec of EMAIL_TEMPLATES.filter((t) => t.domain === domain)) {
    let content;
    try {
      content = loadEmailTemplate(WORKSPACE, spec);
    } catch (error) {
      if (!(error instanceof InvalidEmailTemplateError)) throw error;
      throw new UnknownReferenceError(error.message, { cause: error });
    }
    const module = new TerraformHclModule(scope, `email_template_${tfId(spec.name)}`, {
      source: moduleSource('email-template', ctx.stack),
      skipAssetCreationFromLocalModules: true,
      variables: {
        name: emailTemplateName(ctx.config.namePrefix, ctx.env.name, spec.name),
        ...content,
        account_id: ctx.env.accountId,
      },
    });
    new TerraformOutput(scope, `email_template_${tfId(spec.name)}_arn`, {
      value: module.get('template_arn'),
    });
  }
}

/** Logical template → real SES template name, for every declared template. */
export function emailTemplateNames(
  config: StacksConfig,
  env: EnvironmentConfig,
): Record<string, string> {
  return Object.fromEntries(
    EMAIL_TEMPLATES.map((t) => [t.name, emailTemplateName(config.namePrefix, env.name, t.name)]),
  );
}
