import { firstBlock, isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-DDB-001 — DynamoDB tables are encrypted with a KMS key.
 *
 * A `server_side_encryption` block with `enabled = true`: the AWS managed key `aws/dynamodb`, or
 * the customer managed key in `kms_key_arn`. No block, or `enabled = false`, leaves the table on
 * an AWS owned key. Like checkov CKV_AWS_119 and trivy AVD-AWS-0025, except that both also want
 * a customer managed key: we accept the AWS managed key, whose every use CloudTrail records in
 * the account; a CMK stays optional (`kms_key_arn` of terraform/modules/table). trivy
 * AVD-AWS-0023 (encryption at rest) covers DAX clusters, not tables.
 *
 * In plan JSON an absent block is "known after apply" (the provider computes it), so it is not
 * reported there; the same configuration is reported through its HCL or synthesized stack JSON.
 */
export const rule: Rule = {
  id: 'SLW-DDB-001',
  title: 'DynamoDB table is encrypted with KMS',
  severity: 'high',
  rationale:
    'With an AWS owned key no use of the key is visible in the account: CloudTrail cannot show who decrypted the table. The AWS managed key aws/dynamodb is logged and needs no key policy of ours; a customer managed key is optional.',
  fix: 'Add server_side_encryption { enabled = true } (optionally kms_key_arn = <key ARN>); terraform/modules/table always does.',
  checkov: ['CKV_AWS_119'],
  trivy: ['AVD-AWS-0025'],
  differences:
    'the AWS managed key aws/dynamodb passes; checkov/trivy want a customer managed key.',
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const t of resourcesOfType(model, 'aws_dynamodb_table')) {
      const sse = firstBlock(t.attributes, 'server_side_encryption');
      const unknown = isUnknown(sse) ? sse : isUnknown(sse?.enabled) ? sse.enabled : undefined;
      if (unknown) {
        cannotVerify(this, t, 'encryption', unknown, 'server_side_encryption', context);
        continue;
      }
      if (isUnknown(sse)) continue;
      if (!sse)
        out.push(
          findingFor(this, t, 'no server_side_encryption block: the table uses an AWS owned key.'),
        );
      else if (sse.enabled !== true)
        out.push(
          findingFor(
            this,
            t,
            `server_side_encryption.enabled is ${JSON.stringify(sse.enabled ?? null)}: the table uses an AWS owned key.`,
          ),
        );
    }
    return out;
  },
};
