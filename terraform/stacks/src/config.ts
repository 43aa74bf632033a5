import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { StacksConfigError } from './errors';

/** Retention periods (days) CloudWatch Logs accepts for a log group. */
export const CLOUDWATCH_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

const EnvironmentSchema = z.strictObject({
  accountId: z.string().regex(/^\d{12}$/, 'must be the 12-digit AWS account id'),
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as eu-west-1'),
  partition: z.enum(['aws', 'aws-cn', 'aws-us-gov']).default('aws'),
  /** Governance profile the environment is checked against. */
  profile: z.enum(['baseline', 'strict']),
  /**
   * Floor for every log group's retention in this environment: a manifest asking for less gets
   * this. The strict profile (prod) requires 365 days.
   */
  minLogRetentionDays: z
    .number()
    .refine((d) => (CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(d), {
      message: `must be a retention CloudWatch Logs accepts: ${CLOUDWATCH_RETENTION_DAYS.join(', ')} (days)`,
    })
    .optional(),
  /**
   * Send S3 server access logs of the environment's buckets to the account's access-log bucket
   * (`<namePrefix>-accesslogs-<accountId>`, created by terraform/bootstrap). The strict profile
   * requires it.
   */
  s3AccessLogs: z.boolean().default(false),
});

/** `terraform/stacks/environments.json`: where each environment lives and who owns it. */
export const StacksConfigSchema = z.strictObject({
  $comment: z.string().optional(),
  project: z.string().regex(/^[a-z][a-z0-9-]{1,30}$/),
  namePrefix: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,14}$/, 'must be 2-15 lowercase letters, digits or dashes'),
  owner: z.string().min(1),
  costCenter: z.string().min(1),
  environments: z.record(
    z.string().regex(/^[a-z][a-z0-9]{1,9}$/, 'environment names are 2-10 lowercase letters/digits'),
    EnvironmentSchema,
  ),
});

/** Validated stacks configuration. */
export type StacksConfig = z.output<typeof StacksConfigSchema>;
/** One environment of {@link StacksConfig}. */
export type EnvironmentConfig = z.output<typeof EnvironmentSchema> & { name: string };

/** Reads and validates the environments file; errors name the file and the field. */
export function loadStacksConfig(file: string): StacksConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new StacksConfigError(`${file}: cannot be read as JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  const result = StacksConfigSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.map(
      (i) => `  - ${i.path.join('.') || '(root)'}: ${i.message}`,
    );
    throw new StacksConfigError(`${file}: invalid stacks configuration\n${lines.join('\n')}`, {
      cause: result.error,
    });
  }
  return result.data;
}
