import { firstBlock, isUnknown, resourcesOfType } from '../../model';
import { findingFor, type Finding, type Rule } from '../types';

/** Variable names that suggest a secret (matched on the whole name, case-insensitive). */
export const SECRET_NAME =
  /(SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE_?KEY|API_?KEY|ACCESS_?KEY|CREDENTIAL)/i;

/** Values that look like credentials whatever the variable is called. */
export const SECRET_VALUES: { name: string; re: RegExp }[] = [
  { name: 'AWS access key id', re: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
  { name: 'AWS secret access key', re: /^[A-Za-z0-9/+]{40}$/ },
  { name: 'private key', re: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { name: 'GitHub token', re: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
  { name: 'Slack token', re: /\bxox[abposr]-[A-Za-z0-9-]{10,}/ },
];

/**
 * Values that are references, not secrets: an ARN or SSM/Secrets Manager name is how a
 * function should be told where its secret lives.
 */
const REFERENCE_VALUE = /^(arn:|\/|ssm:|resolve:|\{\{resolve:)/;

/**
 * A Secrets Manager name such as `slipway/dev/stripe-webhook` (at least two `/`-separated parts),
 * accepted only in a variable that says it holds a name (`..._NAME`): GetSecretValue takes the
 * name, and the ARN's random suffix is unknown at plan time. A flat literal (`hunter2`) in a
 * `_NAME` variable is still reported.
 */
const SECRET_NAME_REFERENCE = {
  name: /_NAME$/i,
  value: /^[A-Za-z0-9_+=.@-]+(\/[A-Za-z0-9_+=.@-]+)+$/,
};

const isReference = (name: string, value: string) =>
  REFERENCE_VALUE.test(value) ||
  (SECRET_NAME_REFERENCE.name.test(name) && SECRET_NAME_REFERENCE.value.test(value));

/**
 * SLW-LAMBDA-004 — no credentials or secrets in Lambda environment variables.
 *
 * checkov CKV_AWS_45 scans values for secrets; trivy has no equivalent for Terraform. This
 * rule also flags secret-looking names with a literal value (e.g. `DB_PASSWORD = "hunter2"`),
 * and deliberately accepts such names when the value is an ARN or parameter path, or a
 * `_NAME` variable holds a Secrets Manager name (the recommended pattern: read the secret at
 * runtime; the stacks give `read secret:<name>` as `<NAME>_SECRET_NAME`). Unknown values are not reported.
 */
export const rule: Rule = {
  id: 'SLW-LAMBDA-004',
  title: 'Lambda environment variables hold no secrets',
  severity: 'critical',
  rationale:
    'Environment variables are visible to anyone with lambda:GetFunctionConfiguration, are stored in Terraform state and plans, and end up in logs and CI output.',
  fix: 'Store the secret in Secrets Manager or SSM Parameter Store (SecureString), pass its ARN or name in the environment, and read it at runtime (Powertools Parameters).',
  checkov: ['CKV_AWS_45'],
  trivy: [],
  profiles: { baseline: {}, strict: {} },
  check(model) {
    const out: Finding[] = [];
    for (const fn of resourcesOfType(model, 'aws_lambda_function')) {
      const env = firstBlock(fn.attributes, 'environment');
      if (!env || isUnknown(env)) continue;
      const vars = env.variables;
      if (!vars || typeof vars !== 'object' || isUnknown(vars)) continue;
      for (const [name, value] of Object.entries(vars as Record<string, unknown>)) {
        if (typeof value !== 'string' || value === '') continue;
        const byValue = SECRET_VALUES.find((p) => p.re.test(value));
        if (byValue) {
          out.push(
            findingFor(
              this,
              fn,
              `environment variable ${name} holds what looks like a ${byValue.name}.`,
            ),
          );
          continue;
        }
        if (SECRET_NAME.test(name) && !isReference(name, value))
          out.push(
            findingFor(
              this,
              fn,
              `environment variable ${name} looks like a secret and has a literal value (not an ARN or parameter path).`,
            ),
          );
      }
    }
    return out;
  },
};
