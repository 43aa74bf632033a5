/**
 * Which buckets receive S3 server access logs (SLW-S3-001 and SLW-S3-004). A bucket is an
 * access-log target when
 *
 * - an `aws_s3_bucket_logging` resource, or another bucket's inline `logging {}` block, names it
 *   as `target_bucket`: by its known name, by reference (`aws_s3_bucket.logs.id` / `.bucket`,
 *   also through module arguments and outputs), or by the same expression as its `bucket`;
 * - it grants the log delivery group: `acl = "log-delivery-write"` (inline or
 *   `aws_s3_bucket_acl`), or a grant to `http://acs.amazonaws.com/groups/s3/LogDelivery`;
 * - its bucket policy allows the service principal `logging.s3.amazonaws.com`.
 */
import {
  blocks,
  isUnknown,
  linked,
  resourcesOfType,
  type GovernanceModel,
  type Resource,
} from '../model';
import { parsePolicy } from '../policy';
import { pointsAt } from './alarms';

const LOG_DELIVERY_GROUP = 'http://acs.amazonaws.com/groups/s3/LogDelivery';

/** Why each access-log target bucket is one, by bucket. */
export function accessLogTargets(model: GovernanceModel): Map<Resource, string> {
  const buckets = resourcesOfType(model, 'aws_s3_bucket');
  const out = new Map<Resource, string>();
  const sources: { holder: Resource; value: unknown; attribute: string; expression?: string }[] =
    [];
  for (const l of resourcesOfType(model, 'aws_s3_bucket_logging'))
    sources.push({
      holder: l,
      value: l.attributes.target_bucket,
      attribute: 'target_bucket',
      expression: l.expressions?.target_bucket,
    });
  for (const b of buckets) {
    const inline = blocks(b.attributes, 'logging');
    if (!isUnknown(inline))
      for (const block of inline)
        if (!isUnknown(block))
          sources.push({ holder: b, value: block.target_bucket, attribute: 'logging' });
  }
  for (const target of buckets) {
    for (const s of sources) {
      if (s.holder === target) continue;
      const byExpression =
        s.expression !== undefined &&
        s.holder.input === target.input &&
        s.holder.modulePath === target.modulePath &&
        target.expressions?.bucket === s.expression;
      if (
        byExpression ||
        pointsAt(s.value, s.holder, s.attribute, target, ['bucket', 'id']) === 'yes'
      ) {
        out.set(target, `${s.holder.address} logs to it`);
        break;
      }
    }
    if (out.has(target)) continue;
    const acls = [target, ...linked(target, 'aws_s3_bucket_acl')];
    for (const a of acls) {
      if (a.attributes.acl === 'log-delivery-write') {
        out.set(target, `${a.address} grants log-delivery-write`);
        break;
      }
      const grants = [
        ...blocksOf(a.attributes, 'grant'),
        ...blocksOf(a.attributes, 'access_control_policy').flatMap((p) => blocksOf(p, 'grant')),
      ];
      if (
        grants.some(
          (g) =>
            g.uri === LOG_DELIVERY_GROUP ||
            blocksOf(g, 'grantee').some((e) => e.uri === LOG_DELIVERY_GROUP),
        )
      ) {
        out.set(target, `${a.address} grants the LogDelivery group`);
        break;
      }
    }
    if (out.has(target)) continue;
    const policies = [
      target.attributes.policy,
      ...linked(target, 'aws_s3_bucket_policy').map((p) => p.attributes.policy),
    ].map(parsePolicy);
    if (
      policies.some(
        (p) =>
          Array.isArray(p) &&
          p.some(
            (s) =>
              s.effect === 'Allow' && s.principals.includes('Service:logging.s3.amazonaws.com'),
          ),
      )
    )
      out.set(target, 'its bucket policy allows logging.s3.amazonaws.com');
  }
  return out;
}

function blocksOf(attributes: Record<string, unknown>, name: string): Record<string, unknown>[] {
  const list = blocks(attributes, name);
  return isUnknown(list) ? [] : list.filter((b) => !isUnknown(b));
}
