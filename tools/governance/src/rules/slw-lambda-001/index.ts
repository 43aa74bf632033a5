import { firstBlock, isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-LAMBDA-001 — Lambda functions trace with X-Ray in Active mode.
 *
 * Same semantics as checkov CKV_AWS_50 and trivy AVD-AWS-0066: `tracing_config.mode` must be
 * `Active`. `PassThrough` or no block fails; an unknown mode gives no finding.
 */
export const rule: Rule = {
  id: 'SLW-LAMBDA-001',
  title: 'Lambda function has X-Ray active tracing',
  severity: 'medium',
  rationale:
    'Without active tracing on-call engineers lose the X-Ray service map and the per-invocation trace that connects a failed flow to the function that broke it.',
  fix: 'Set tracing_config { mode = "Active" } (the lambda-function module does this for you).',
  checkov: ['CKV_AWS_50'],
  trivy: ['AVD-AWS-0066'],
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const fn of resourcesOfType(model, 'aws_lambda_function')) {
      const tc = firstBlock(fn.attributes, 'tracing_config');
      if (isUnknown(tc)) {
        cannotVerify(this, fn, 'tracing', tc, 'tracing_config', context);
        continue;
      }
      const mode = tc?.mode;
      if (isUnknown(mode)) {
        cannotVerify(this, fn, 'tracing', mode, 'tracing_config', context);
        continue;
      }
      if (mode !== 'Active')
        out.push(
          findingFor(
            this,
            fn,
            `tracing_config.mode is ${mode === undefined ? 'not set' : JSON.stringify(mode)}; X-Ray active tracing is off.`,
          ),
        );
    }
    return out;
  },
};
