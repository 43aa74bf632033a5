import { knownStrings } from '../../policy';
import { identityPolicies, isWildcardAction, label } from '../iam-policies';
import { findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-IAM-002 — no wildcard actions.
 *
 * Like checkov CKV_AWS_63 and trivy AVD-AWS-0057 (actions part): an Allow statement must not
 * use `*` or `service:*`, nor `NotAction` (which allows everything else). Partial wildcards
 * such as `s3:Get*` are accepted (checkov accepts them too). Statements already reported by
 * SLW-IAM-001 (`*` on `*`) are skipped.
 */
export const rule: Rule = {
  id: 'SLW-IAM-002',
  title: 'No wildcard IAM actions',
  severity: 'high',
  rationale:
    'A wildcard action grants every present and future action of a service, including destructive and privilege-escalating ones.',
  fix: 'List the concrete actions (in a Lambda manifest, declare permission intents such as "read media:uploads/*").',
  checkov: ['CKV_AWS_63'],
  trivy: ['AVD-AWS-0057'],
  profiles: { baseline: {}, strict: {} },
  check(model) {
    const out: Finding[] = [];
    for (const p of identityPolicies(model)) {
      if (!Array.isArray(p.statements)) continue;
      p.statements.forEach((s, i) => {
        if (s.effect !== 'Allow') return;
        const actions = knownStrings(s.actions);
        if (actions.includes('*') && knownStrings(s.resources).includes('*')) return;
        const wild = actions.filter(isWildcardAction);
        if (wild.length)
          out.push(
            findingFor(
              this,
              p.resource,
              `${label(s, i)} allows wildcard action(s) ${wild.join(', ')}.`,
            ),
          );
        if (knownStrings(s.notActions).length)
          out.push(
            findingFor(
              this,
              p.resource,
              `${label(s, i)} uses NotAction in an Allow, which grants every other action.`,
            ),
          );
      });
    }
    return out;
  },
};
