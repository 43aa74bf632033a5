import { ASL_NO_PUBLIC_EQUIVALENT, at, stateMachineDefinitions, walkStates } from '../../asl';
import { findingFor, type Finding, type Rule } from '../types';

/** A Task that waits for a worker to answer: a task token callback or an activity. */
const WAITS_FOR_WORKER = /(\.waitForTaskToken$)|(^arn:[a-z-]+:states:[^:]*:[^:]*:activity:)/;

/**
 * SLW-SFN-005 — every Task has a timeout; a Task that waits for a worker has a heartbeat.
 *
 * Every Task (Parallel branches and Map processors included) sets `TimeoutSeconds` or
 * `TimeoutSecondsPath`: the default is the execution's own limit (a year for a Standard
 * workflow), so a hung call holds the execution until then. A Task whose Resource ends in
 * `.waitForTaskToken`, or that is an activity, also sets `HeartbeatSeconds` or
 * `HeartbeatSecondsPath`: a worker that died never calls back, and only the heartbeat notices
 * early. Known `HeartbeatSeconds` must be below known `TimeoutSeconds` (AWS rejects the
 * definition otherwise).
 *
 * No public equivalent: checkov's Step Functions checks are CKV_AWS_284 and CKV_AWS_285
 * (SLW-SFN-001/002); trivy has none; neither reads the definition.
 */
export const rule: Rule = {
  id: 'SLW-SFN-005',
  title: 'Every Task has TimeoutSeconds; callback and activity Tasks have HeartbeatSeconds',
  severity: 'medium',
  rationale:
    'Without TimeoutSeconds a stuck call waits until the execution itself times out (a year for Standard workflows); without HeartbeatSeconds a callback whose worker died is noticed just as late.',
  fix: 'Set "TimeoutSeconds" on the Task (a little above the function timeout or the job duration you expect); on .waitForTaskToken and activity Tasks also "HeartbeatSeconds", below TimeoutSeconds.',
  checkov: [],
  trivy: [],
  noPublicEquivalent: ASL_NO_PUBLIC_EQUIVALENT,
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const { resource, asl } of stateMachineDefinitions(model, this, context, out))
      for (const visit of walkStates(asl)) {
        const s = visit.state;
        if (s.Type !== 'Task') continue;
        const problems: string[] = [];
        if (s.TimeoutSeconds === undefined && s.TimeoutSecondsPath === undefined)
          problems.push('has no TimeoutSeconds');
        if (
          typeof s.Resource === 'string' &&
          WAITS_FOR_WORKER.test(s.Resource) &&
          s.HeartbeatSeconds === undefined &&
          s.HeartbeatSecondsPath === undefined
        )
          problems.push(`waits for a worker (${s.Resource}) but has no HeartbeatSeconds`);
        if (
          typeof s.HeartbeatSeconds === 'number' &&
          typeof s.TimeoutSeconds === 'number' &&
          s.HeartbeatSeconds >= s.TimeoutSeconds
        )
          problems.push(
            `HeartbeatSeconds ${s.HeartbeatSeconds} is not below TimeoutSeconds ${s.TimeoutSeconds}`,
          );
        if (problems.length)
          out.push(findingFor(this, resource, `${at(visit)}: ${problems.join('; ')}.`));
      }
    return out;
  },
};
