import { policyJsonError } from '../../policy';
import { policyAttributes } from '../iam-policies';
import { findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-IAM-005 — every policy document is valid JSON.
 *
 * A policy written as a string (a heredoc, a file read with `file()`, a literal) that is not
 * JSON — a trailing comma, a missing quote — is rejected by IAM at apply, and, worse, no other
 * rule can read it: before this rule it was treated as absent, so a broken bucket policy read
 * as "no policy" and a broken role policy as nothing to check. Reported for identity policies,
 * trust policies, queue / topic / bucket policies and key policies, with the parser's message
 * and the line and column inside the document; the finding is at the resource's file:line.
 * No checkov or trivy check: both skip a document they cannot parse.
 */
export const rule: Rule = {
  id: 'SLW-IAM-005',
  title: 'Policy document is valid JSON',
  severity: 'high',
  rationale:
    'A policy that is not JSON cannot be applied as written and cannot be checked: every rule reading it would see nothing.',
  fix: 'Write the policy with jsonencode({...}) or a data "aws_iam_policy_document", or fix the JSON at the reported line (trailing commas are not JSON).',
  checkov: [],
  trivy: [],
  noPublicEquivalent:
    'checkov and trivy skip a policy that is not JSON without reporting it; the property (the document parses) has no check of its own anywhere we know of.',
  profiles: { baseline: {}, strict: {} },
  check(model) {
    const out: Finding[] = [];
    for (const [resource, attribute] of policyAttributes(model)) {
      const error = policyJsonError(resource.attributes[attribute]);
      if (error) out.push(findingFor(this, resource, `${attribute} is not valid JSON: ${error}.`));
    }
    return out;
  },
};
