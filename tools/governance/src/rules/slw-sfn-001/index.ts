import { firstBlock, isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-SFN-001 — state machines trace with X-Ray.
 *
 * Same as checkov CKV_AWS_284: `tracing_configuration.enabled = true`. An unknown is "cannot verify".
 */
export const rule: Rule = {
  id: 'SLW-SFN-001',
  title: 'State machine has X-Ray tracing',
  severity: 'medium',
  rationale:
    'Tracing joins a flow and the Lambda invocations it makes into one X-Ray service map, so on-call can see which step failed or was slow.',
  fix: 'Set tracing_configuration { enabled = true } (the state-machine module always does).',
  checkov: ['CKV_AWS_284'],
  trivy: [],
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const sm of resourcesOfType(model, 'aws_sfn_state_machine')) {
      const tc = firstBlock(sm.attributes, 'tracing_configuration');
      const unknown = isUnknown(tc) ? tc : isUnknown(tc?.enabled) ? tc.enabled : undefined;
      if (unknown) {
        cannotVerify(this, sm, 'tracing', unknown, 'tracing_configuration', context);
        continue;
      }
      if (isUnknown(tc)) continue;
      if (tc?.enabled !== true)
        out.push(findingFor(this, sm, 'tracing_configuration.enabled is not true.'));
    }
    return out;
  },
};
