import type { ResourceChange } from '../../model';
import { PUBLIC_ACCESS_FLAGS } from '../slw-s3-002';
import { findingFor, type Finding, type Rule } from '../types';

const obj = (v: unknown) =>
  v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;

/**
 * SLW-PLAN-003 — flag changes that expose something publicly.
 *
 * A public access block flag going from true to false (or the block being deleted), a Lambda
 * permission for principal `*` being created or changed, a function URL switching to
 * authorization NONE. The static rules (SLW-S3-002, SLW-LAMBDA-006/007) report the end state;
 * this one names the change in the plan that causes it.
 */
export const rule: Rule = {
  id: 'SLW-PLAN-003',
  title: 'Plan makes something public',
  severity: 'critical',
  rationale: 'Exposure changes are a single line in a large plan and the most expensive to miss.',
  fix: 'Revert the change, or if the exposure is intended (a public website bucket behind CloudFront is not), waive it with the reason and owner.',
  checkov: [],
  trivy: [],
  noPublicEquivalent:
    'a plan guard: it compares public exposure before and after the plan; checkov and trivy see only the new configuration.',
  profiles: { baseline: {}, strict: {} },
  check(model) {
    const out: Finding[] = [];
    for (const c of model.changes) {
      const before = obj(c.before);
      const after = obj(c.after);
      if (c.type === 'aws_s3_bucket_public_access_block') {
        if (c.actions.length === 1 && c.actions[0] === 'delete') {
          out.push(
            findingFor(
              this,
              at(c),
              `${c.stack}: plan deletes the public access block ${c.address}.`,
            ),
          );
          continue;
        }
        const off = PUBLIC_ACCESS_FLAGS.filter(
          (f) => after?.[f] === false && (before ? before[f] === true : false),
        );
        if (off.length)
          out.push(
            findingFor(
              this,
              at(c),
              `${c.stack}: plan turns off ${off.join(', ')} on ${c.address}.`,
            ),
          );
      }
      if (
        c.type === 'aws_lambda_permission' &&
        after?.principal === '*' &&
        before?.principal !== '*' &&
        c.actions.some((a) => a === 'create' || a === 'update')
      )
        out.push(
          findingFor(
            this,
            at(c),
            `${c.stack}: plan grants lambda:InvokeFunction to principal "*" (${c.address}).`,
          ),
        );
      if (
        c.type === 'aws_lambda_function_url' &&
        after?.authorization_type === 'NONE' &&
        before?.authorization_type !== 'NONE'
      )
        out.push(
          findingFor(
            this,
            at(c),
            `${c.stack}: plan makes function URL ${c.address} public (authorization_type NONE).`,
          ),
        );
    }
    return out;
  },
};

function at(c: ResourceChange) {
  return { address: c.address, file: c.file, input: c.file };
}
