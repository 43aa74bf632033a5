import { renderMeasurements, type ExampleMeasurement } from '../../src/plan-vs-hcl';

const row: ExampleMeasurement = {
  module: 'event-rule',
  example: 'basic',
  moduleHclMs: 70,
  exampleHclMs: 50,
  terraformPlanMs: 9700,
  planScanMs: 7,
  moduleHcl: ['SLW-CW-001 aws_cloudwatch_metric_alarm.this["dlq_depth"]'],
  exampleHcl: ['SLW-REPO-003 terraform/modules/event-rule/examples/basic'],
  plan: ['SLW-TAGS-001 aws_cloudwatch_event_rule.this'],
  warnings: {
    moduleHcl: ['SLW-SCHED-002 aws_scheduler_schedule.this (main.tf:27): cannot verify ...'],
    exampleHcl: [],
    plan: ['SLW-SFN-003 module.flow.aws_sfn_state_machine.this (plan.json): cannot verify ...'],
  },
};

describe('plan vs HCL measurement report', () => {
  it('tabulates times and lists every finding and warning one method has and another lacks', () => {
    // Act
    const text = renderMeasurements([row, { ...row, example: 'other', planError: 'boom' }]);

    // Assess
    expect(text.split('\n')).toEqual([
      '| example | module HCL ms | example HCL ms | terraform plan ms | plan scan ms | findings module / example / plan | warnings module / example / plan |',
      '| --- | ---: | ---: | ---: | ---: | --- | --- |',
      '| event-rule/basic | 70 | 50 | 9700 | 7 | 1 / 1 / 1 | 1 / 0 / 1 |',
      '| event-rule/other | 70 | 50 | failed | 7 | 1 / 1 / 1 | 1 / 0 / 1 |',
      '| **total** | 140 | 100 | 19400 | 14 | | |',
      '',
      '- event-rule/basic: module HCL only: SLW-CW-001 aws_cloudwatch_metric_alarm.this["dlq_depth"]; plan only (vs module HCL): SLW-TAGS-001 aws_cloudwatch_event_rule.this; example HCL only: SLW-REPO-003 terraform/modules/event-rule/examples/basic; plan only (vs example HCL): SLW-TAGS-001 aws_cloudwatch_event_rule.this; unverified in module HCL only: SLW-SCHED-002 aws_scheduler_schedule.this; unverified in the plan only: SLW-SFN-003 aws_sfn_state_machine.this',
      '- event-rule/other: module HCL only: SLW-CW-001 aws_cloudwatch_metric_alarm.this["dlq_depth"]; plan only (vs module HCL): SLW-TAGS-001 aws_cloudwatch_event_rule.this; example HCL only: SLW-REPO-003 terraform/modules/event-rule/examples/basic; plan only (vs example HCL): SLW-TAGS-001 aws_cloudwatch_event_rule.this; unverified in module HCL only: SLW-SCHED-002 aws_scheduler_schedule.this; unverified in the plan only: SLW-SFN-003 aws_sfn_state_machine.this; plan failed: boom',
      '',
    ]);
  });
});
