import { isUnknown } from '../../model';
import { knownStrings } from '../../policy';
import { isWildcardAction, label, resourcePolicies } from '../iam-policies';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-IAM-006 — resource policies allow no wildcard actions.
 *
 * An `Allow` statement of a queue, topic or bucket policy (`aws_sqs_queue_policy`,
 * `aws_sns_topic_policy`, `aws_s3_bucket_policy`, their inline `policy`, and
 * `aws_iam_policy_document`s that name principals) must not grant `*` or `<service>:*`: the
 * principal could delete the queue, change its policy, or read every message. Same test as
 * checkov CKV_AWS_72 and trivy AVD-AWS-0097 for SQS queue policies; deliberately wider: SNS
 * topic and S3 bucket policies too (where checkov and trivy have no equivalent check), and
 * `sqs:*`-style service wildcards as well as `*`. `Deny` statements are not read (a TLS-only
 * `Deny s3:*` is what SLW-S3-005 wants). A document that cannot be evaluated is "cannot verify".
 */
export const rule: Rule = {
  id: 'SLW-IAM-006',
  title: 'Resource policy allows no wildcard actions',
  severity: 'high',
  rationale:
    'A wildcard in a queue, topic or bucket policy lets its principal administer the resource (delete it, rewrite its policy), not just use it.',
  fix: 'Name the actions the principal needs (sqs:SendMessage, sns:Publish, s3:GetObject, ...).',
  checkov: ['CKV_AWS_72'],
  trivy: ['AVD-AWS-0097'],
  differences:
    "also SNS topic and S3 bucket policies, and service wildcards (sqs:*), not only SQS '*'.",
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const p of resourcePolicies(model)) {
      if (isUnknown(p.statements)) {
        cannotVerify(this, p.resource, 'the resource policy', p.statements, p.attribute, context);
        continue;
      }
      if (!Array.isArray(p.statements)) continue;
      p.statements.forEach((s, i) => {
        if (s.effect !== 'Allow') return;
        const wild = knownStrings(s.actions).filter(isWildcardAction);
        if (wild.length)
          out.push(
            findingFor(
              this,
              p.resource,
              `${label(s, i)} of the ${p.attribute} allows wildcard action(s) ${wild.join(', ')}.`,
            ),
          );
      });
    }
    return out;
  },
};
