import { isUnknown, resourcesOfType, type Resource, type UnknownValue } from '../../model';
import { describeUnknown, dimensionValues, pointsAt } from '../alarms';
import { findingFor, reportUnverified, type Finding, type Rule } from '../types';

/** The watched types: the dimension that names one, and the attributes a known value may equal. */
const WATCHED = [
  {
    type: 'aws_lambda_function',
    dimension: 'FunctionName',
    identifiers: ['function_name', 'id'],
    what: 'function',
  },
  {
    type: 'aws_sfn_state_machine',
    dimension: 'StateMachineArn',
    identifiers: ['arn', 'id'],
    what: 'state machine',
  },
] as const;

/**
 * SLW-CW-002 — every function and state machine has alarms.
 *
 * Each `aws_lambda_function` needs at least one `aws_cloudwatch_metric_alarm` whose
 * `dimensions.FunctionName` (or a `metric_query`'s metric dimension) is that function, and each
 * `aws_sfn_state_machine` one whose `dimensions.StateMachineArn` is that state machine: by
 * reference (`aws_lambda_function.this.function_name`, through locals, module arguments and
 * outputs) or by the same known value (a plan's literal function name). The lambda-function and
 * state-machine modules create them (`alarms.tf`).
 *
 * When a resource has no linked alarm but some alarm of the same input has a FunctionName /
 * StateMachineArn that governance cannot evaluate (unknown and not traceable to a resource),
 * the rule does not pass it: "cannot verify that <address> has an alarm: ..." is a finding under
 * `strict` and a scan warning under `baseline`. An alarm on another function's name, or no such
 * alarm at all, is a finding.
 *
 * No checkov or trivy check relates alarms to the resources they watch (checked: their
 * CloudWatch checks are about log groups, CKV_AWS_319's actions_enabled and CIS metric filters).
 */
export const rule: Rule = {
  id: 'SLW-CW-002',
  title: 'Every function and state machine has alarms',
  severity: 'medium',
  rationale:
    'A function or state machine without a CloudWatch alarm fails silently: on-call learns of errors, throttles or failed executions from users.',
  fix: 'Create it through terraform/modules/lambda-function or terraform/modules/state-machine (their alarms.tf), or add an aws_cloudwatch_metric_alarm with dimensions = { FunctionName = <function>.function_name } (StateMachineArn = <state machine>.arn).',
  checkov: [],
  trivy: [],
  noPublicEquivalent:
    'checkov and trivy check resources one at a time; whether any alarm watches a function or state machine is a relation across resources they do not test.',
  profiles: { baseline: {}, strict: {} },
  check(model, profile, context) {
    const out: Finding[] = [];
    const metricAlarms = resourcesOfType(model, 'aws_cloudwatch_metric_alarm');
    for (const watched of WATCHED) {
      const dims = metricAlarms.map((alarm) => ({
        alarm,
        values: dimensionValues(alarm, watched.dimension),
      }));
      const targets = resourcesOfType(model, watched.type);
      // Alarms whose dimension governance cannot trace to any resource of this type.
      const untraced = dims.filter(({ alarm, values }) =>
        values.some(
          (d) =>
            isUnknown(d.value) &&
            targets.every(
              (t) => pointsAt(d.value, alarm, d.attribute, t, [...watched.identifiers]) !== 'yes',
            ) &&
            targets.some(
              (t) =>
                pointsAt(d.value, alarm, d.attribute, t, [...watched.identifiers]) === 'unknown',
            ),
        ),
      );
      for (const target of targets) {
        const watchedBy = (alarm: Resource, values: (typeof dims)[number]['values']) =>
          values.some(
            (d) =>
              pointsAt(d.value, alarm, d.attribute, target, [...watched.identifiers]) === 'yes',
          );
        if (dims.some(({ alarm, values }) => watchedBy(alarm, values))) continue;
        const unclear = untraced.filter(({ alarm }) => alarm.input === target.input);
        if (unclear.length) {
          const why = unclear
            .map(({ alarm, values }) => {
              const d = values.find((v) => isUnknown(v.value))!;
              return `${alarm.address} (${describeUnknown(d.value as UnknownValue, alarm, d.attribute)})`;
            })
            .join(', ');
          reportUnverified(
            this,
            target,
            `cannot verify that ${target.address} has an alarm: the ${watched.dimension} dimension of ${why} could not be evaluated.`,
            context,
          );
          continue;
        }
        out.push(
          findingFor(
            this,
            target,
            `no CloudWatch metric alarm has dimensions.${watched.dimension} = this ${watched.what}: its failures page no one.`,
          ),
        );
      }
    }
    return out;
  },
};
