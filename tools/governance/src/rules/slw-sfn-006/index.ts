import { ASL_NO_PUBLIC_EQUIVALENT, at, stateMachineDefinitions, walkStates } from '../../asl';
import { findingFor, reportUnverified, type Finding, type Rule } from '../types';

/**
 * SLW-SFN-006 — every Map bounds its concurrency.
 *
 * Every Map state (nested ones included) sets `MaxConcurrency` to a number above 0. Absent or 0
 * means "as many as possible": 40 concurrent iterations for an inline Map, 10,000 child
 * executions for a Distributed Map, each invoking its functions and services at once.
 * `MaxConcurrencyPath` is chosen at run time: governance cannot read it, so it is reported as
 * "cannot verify" (a strict finding, a baseline warning).
 *
 * No public equivalent: checkov's Step Functions checks are CKV_AWS_284 and CKV_AWS_285
 * (SLW-SFN-001/002); trivy has none; neither reads the definition.
 */
export const rule: Rule = {
  id: 'SLW-SFN-006',
  title: 'Every Map state sets MaxConcurrency',
  severity: 'medium',
  rationale:
    'An unbounded Map starts every iteration at once: a large input throttles Lambda and the services it calls for the whole account, and fails iterations that retries then amplify.',
  fix: 'Set "MaxConcurrency" on the Map to what the functions and services it calls can take (e.g. 4-10 for Lambda Tasks reading S3).',
  checkov: [],
  trivy: [],
  noPublicEquivalent: ASL_NO_PUBLIC_EQUIVALENT,
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const { resource, asl } of stateMachineDefinitions(model, this, context, out))
      for (const visit of walkStates(asl)) {
        const s = visit.state;
        if (s.Type !== 'Map') continue;
        if (s.MaxConcurrency === undefined && typeof s.MaxConcurrencyPath === 'string')
          reportUnverified(
            this,
            resource,
            `cannot verify the concurrency of ${at(visit)} of ${resource.address} because MaxConcurrencyPath ${s.MaxConcurrencyPath} is chosen at run time.`,
            context,
            s.MaxConcurrencyPath,
          );
        else if (s.MaxConcurrency === undefined)
          out.push(
            findingFor(this, resource, `${at(visit)}: Map has no MaxConcurrency (unbounded).`),
          );
        else if (s.MaxConcurrency === 0)
          out.push(
            findingFor(this, resource, `${at(visit)}: Map MaxConcurrency is 0 (unbounded).`),
          );
      }
    return out;
  },
};
