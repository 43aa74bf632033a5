import { firstBlock, isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, setAfterApply, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-SFN-002 — state machines log every execution event with its data.
 *
 * Stricter than checkov CKV_AWS_285 (which only requires logging to be configured): Slipway
 * requires `level = "ALL"` and `include_execution_data = true`, because its payloads are small
 * S3 pointers and a failed run must be explainable from the log alone.
 */
export const rule: Rule = {
  id: 'SLW-SFN-002',
  title: 'State machine logs ALL events with execution data',
  severity: 'medium',
  rationale:
    'Without full execution logs a failed or slow run cannot be explained after the 90-day execution history is gone (and Express workflows keep no history at all).',
  fix: 'Set logging_configuration { level = "ALL", include_execution_data = true, log_destination = "<log group arn>:*" }.',
  checkov: ['CKV_AWS_285'],
  trivy: [],
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const sm of resourcesOfType(model, 'aws_sfn_state_machine')) {
      const lc = firstBlock(sm.attributes, 'logging_configuration');
      if (isUnknown(lc)) {
        cannotVerify(this, sm, 'logging', lc, 'logging_configuration', context);
        continue;
      }
      const problems: string[] = [];
      if (!lc) problems.push('no logging_configuration');
      else {
        if (!isUnknown(lc.level) && lc.level !== 'ALL')
          problems.push(`level is ${JSON.stringify(lc.level ?? 'OFF')}`);
        if (!isUnknown(lc.include_execution_data) && lc.include_execution_data !== true)
          problems.push('include_execution_data is not true');
        if (!isUnknown(lc.log_destination) && !lc.log_destination)
          problems.push('no log_destination');
      }
      if (lc)
        for (const v of [lc.level, lc.include_execution_data, lc.log_destination])
          if (isUnknown(v) && !setAfterApply(v))
            cannotVerify(this, sm, 'logging', v, 'logging_configuration', context);
      if (problems.length) out.push(findingFor(this, sm, `${problems.join('; ')}.`));
    }
    return out;
  },
};
