import { isUnknown, type UnknownValue } from '../../model';
import { alarms } from '../alarms';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-CW-001 — every CloudWatch alarm notifies someone.
 *
 * Every `aws_cloudwatch_metric_alarm` and `aws_cloudwatch_composite_alarm` must have
 * `actions_enabled` not `false` and at least one `alarm_actions` entry: an alarm without an
 * action changes state in the console and pages no one (issue 15: "alarms that reach someone").
 * An entry counts when it is a known non-empty string, or a value known after apply that comes
 * from a resource (`aws_sns_topic.alarms.arn`, also through module arguments and outputs, or a
 * plan's "known after apply" element): that resource exists once applied.
 *
 * Unlike the other rules, an unknown is not a pass: `alarm_actions` (or `actions_enabled`) that
 * governance cannot evaluate — a root variable without a value, a module output it could not
 * follow, a whole list "known after apply" in a plan — gives "cannot verify alarm actions of
 * <address> because <expression> is unknown (<why>)": a finding under `strict`, a scan warning under
 * `baseline` (the engine's `CheckContext.warn`; warnings never fail a run).
 *
 * Public equivalents: checkov CKV_AWS_319 checks only `actions_enabled` of metric alarms (an
 * alarm with no actions passes it); no trivy check covers alarm actions. The closest account
 * checks are AWS Config CLOUDWATCH_ALARM_ACTION_CHECK and Security Hub CloudWatch.15 / .17.
 * `ok_actions` and `insufficient_data_actions` are not required.
 */
export const rule: Rule = {
  id: 'SLW-CW-001',
  title: 'Every CloudWatch alarm notifies someone',
  severity: 'high',
  rationale:
    'An alarm without an enabled action changes state where nobody looks: the failure it detects pages no one.',
  fix: "Set alarm_actions to the environment's alarm topic ARN (the modules' alarm_actions input) and leave actions_enabled unset or true.",
  checkov: ['CKV_AWS_319'],
  trivy: [],
  profiles: { baseline: {}, strict: {} },
  check(model, profile, context) {
    const out: Finding[] = [];
    for (const alarm of alarms(model)) {
      const cannot = (value: UnknownValue, attribute: string) =>
        cannotVerify(this, alarm, 'alarm actions', value, attribute, context);
      const enabled = alarm.attributes.actions_enabled;
      if (enabled === false) {
        out.push(
          findingFor(
            this,
            alarm,
            'actions_enabled = false: the alarm changes state but notifies no one.',
          ),
        );
        continue;
      }
      if (isUnknown(enabled)) {
        cannot(enabled, 'actions_enabled');
        continue;
      }
      const actions = alarm.attributes.alarm_actions;
      if (isUnknown(actions)) {
        cannot(actions, 'alarm_actions');
        continue;
      }
      const list = Array.isArray(actions) ? actions : [];
      const reaches = list.some(
        (a) => (typeof a === 'string' && a !== '') || (isUnknown(a) && a.kind === 'apply'),
      );
      if (reaches) continue;
      const unresolved = list.find(isUnknown);
      if (unresolved) {
        cannot(unresolved, 'alarm_actions');
        continue;
      }
      out.push(
        findingFor(
          this,
          alarm,
          'alarm_actions is empty: the alarm changes state but notifies no one.',
        ),
      );
    }
    return out;
  },
};
