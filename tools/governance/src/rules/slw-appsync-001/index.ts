import { firstBlock, isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, setAfterApply, findingFor, type Finding, type Rule } from '../types';

/** Field log levels that record at least the fields that failed. */
const LOGGING_LEVELS = ['ERROR', 'ALL', 'INFO', 'DEBUG'];

/**
 * SLW-APPSYNC-001 — AppSync APIs log their fields, through a role, without verbose content.
 *
 * A `log_config` block with a `cloudwatch_logs_role_arn` and a `field_log_level` that records
 * failures (`ERROR`, `ALL`, or the newer `INFO`/`DEBUG`; not `NONE`), and
 * `exclude_verbose_content` not `false`: verbose content holds the request headers, and so the
 * caller's token. Like checkov CKV_AWS_193 (logging) and CKV_AWS_194 (field-level logs), which do
 * not look at verbose content; trivy has no AppSync check. Unknown values (a role ARN known after
 * apply) are not reported.
 * https://docs.aws.amazon.com/appsync/latest/devguide/monitoring.html#setup-and-configuration
 */
export const rule: Rule = {
  id: 'SLW-APPSYNC-001',
  title: 'AppSync API logs its fields without verbose content',
  severity: 'high',
  rationale:
    'A GraphQL request answers 200 even when fields fail: without field-level logs a failing resolver leaves no trace outside its Lambda, and nothing records which caller hit which field. Verbose content would write request headers, the callers\u2019 tokens, into the logs.',
  fix: 'Add log_config { cloudwatch_logs_role_arn = <role>, field_log_level = "ERROR" (or "ALL"), exclude_verbose_content = true }; terraform/modules/graphql-api always does.',
  checkov: ['CKV_AWS_193', 'CKV_AWS_194'],
  trivy: [],
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const api of resourcesOfType(model, 'aws_appsync_graphql_api')) {
      const log = firstBlock(api.attributes, 'log_config');
      if (isUnknown(log)) {
        cannotVerify(this, api, 'logging', log, 'log_config', context);
        continue;
      }
      if (!log) {
        out.push(findingFor(this, api, 'no log_config block: the API writes no logs.'));
        continue;
      }
      const role = log.cloudwatch_logs_role_arn;
      for (const v of [role, log.field_log_level, log.exclude_verbose_content])
        if (isUnknown(v) && !setAfterApply(v))
          cannotVerify(this, api, 'logging', v, 'log_config', context);
      if (!isUnknown(role) && (typeof role !== 'string' || role === ''))
        out.push(
          findingFor(
            this,
            api,
            'log_config has no cloudwatch_logs_role_arn: AppSync cannot write the logs.',
          ),
        );
      const level = log.field_log_level;
      if (!isUnknown(level) && !LOGGING_LEVELS.includes(String(level)))
        out.push(
          findingFor(
            this,
            api,
            `log_config.field_log_level is ${JSON.stringify(level ?? null)}: failing fields are not logged.`,
          ),
        );
      if (log.exclude_verbose_content === false)
        out.push(
          findingFor(
            this,
            api,
            "log_config.exclude_verbose_content is false: request headers, with the callers' tokens, are logged.",
          ),
        );
    }
    return out;
  },
};
