import { blocks, isUnknown, linked, resourcesOfType } from '../../model';
import { accessLogTargets } from '../s3-access-logs';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-S3-004 — buckets write server access logs (strict profile only).
 *
 * Same as checkov CKV_AWS_18 and trivy AVD-AWS-0089. Only in `strict`: access logs need a
 * separate log bucket per account, which dev and staging stacks do not have. A bucket that is
 * itself an access-log target is exempt, since it cannot log to itself — checkov flags those
 * too (a deliberate difference). Targets are recognised by the logging that points at them (an
 * `aws_s3_bucket_logging` or inline `logging {}` whose `target_bucket` is the bucket's name,
 * a reference to it such as `aws_s3_bucket.logs.id`, or the same expression), the log-delivery
 * ACL or grant, or a bucket policy for `logging.s3.amazonaws.com` (see `accessLogTargets`).
 */
export const rule: Rule = {
  id: 'SLW-S3-004',
  title: 'S3 bucket has access logging',
  severity: 'medium',
  rationale:
    'Server access logs record who read or wrote which object, needed to investigate a leak in production.',
  fix: 'Add aws_s3_bucket_logging pointing at the account access-log bucket (bucket module: access_log_bucket = "<prefix>-accesslogs-<account>").',
  checkov: ['CKV_AWS_18'],
  trivy: ['AVD-AWS-0089'],
  differences: 'access-log target buckets need no logging of their own (checkov flags them).',
  profiles: { strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    const targets = accessLogTargets(model);
    for (const b of resourcesOfType(model, 'aws_s3_bucket')) {
      if (targets.has(b)) continue;
      const logging = linked(b, 'aws_s3_bucket_logging');
      const inline = blocks(b.attributes, 'logging');
      if (logging.length || (!isUnknown(inline) && inline.length)) continue;
      if (isUnknown(inline)) {
        cannotVerify(this, b, 'access logging', inline, 'logging', context);
        continue;
      }
      out.push(findingFor(this, b, 'no aws_s3_bucket_logging is linked to this bucket.'));
    }
    return out;
  },
};
