import { isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, setAfterApply, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-LAMBDA-007 — no public invoke permission.
 *
 * Flags an `aws_lambda_permission` whose principal is `*` (any AWS account) without
 * `source_arn` or `source_account`: the public case, which checkov tests as CKV_AWS_301
 * ("Lambda function is not publicly accessible"). It used to name CKV_AWS_364 and trivy
 * AVD-AWS-0067, which test a different property — a source condition on *service* principals —
 * and are SLW-LAMBDA-008's equivalents. Deliberate difference from CKV_AWS_301: a `source_arn`
 * or `source_account` makes principal `*` acceptable (only that source can invoke). No trivy
 * check tests principal `*` alone.
 */
export const rule: Rule = {
  id: 'SLW-LAMBDA-007',
  title: 'Lambda permission is not public',
  severity: 'critical',
  rationale: 'principal "*" without a source condition lets any AWS account invoke the function.',
  fix: 'Name the service or account principal, and set source_arn (and source_account) to the one resource allowed to invoke.',
  checkov: ['CKV_AWS_301'],
  trivy: [],
  differences:
    "principal '*' with a source_arn or source_account passes (CKV_AWS_301 flags every '*').",
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const p of resourcesOfType(model, 'aws_lambda_permission')) {
      const principal = p.attributes.principal;
      if (isUnknown(principal)) {
        cannotVerify(this, p, 'the principal', principal, 'principal', context);
        continue;
      }
      if (principal !== '*') continue;
      const arn = p.attributes.source_arn;
      const account = p.attributes.source_account;
      const present = (v: unknown) => setAfterApply(v) || (typeof v === 'string' && v !== '');
      if (present(arn) || present(account)) continue;
      const unknown = isUnknown(arn) ? arn : isUnknown(account) ? account : undefined;
      if (unknown) {
        cannotVerify(
          this,
          p,
          'the source condition',
          unknown,
          unknown === arn ? 'source_arn' : 'source_account',
          context,
        );
        continue;
      }
      if (!arn && !account)
        out.push(
          findingFor(
            this,
            p,
            'principal is "*" with neither source_arn nor source_account: anyone can invoke the function.',
          ),
        );
    }
    return out;
  },
};
