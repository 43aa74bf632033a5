/**
 * The state machine definition rules (issue 16 item 5): SLW-SFN-003 … SLW-SFN-008. Each fail
 * fixture is its pass fixture with one property broken per reported state; each finding is
 * pinned as `rule address file:line message` (the message starts with the state's path). Pass
 * fixtures also pin the state paths the rule walked, so "no findings" cannot mean "not read".
 * The slw-sfn-asl fixtures pin where the ASL comes from: a synthesized stack's module argument,
 * a plan's module call, a definition governance cannot read, one that is not JSON.
 */
import path from 'node:path';
import { walkStates, readDefinition } from '../../../src/asl';
import { buildModel, runRule, type ScanOptions } from '../../../src/engine';
import { resourcesOfType } from '../../../src/model';
import { builtinProfile, type ProfileName } from '../../../src/profiles';
import { RULES } from '../../../src/rules';
import type { Finding, Rule } from '../../../src/rules/types';
import { fixtureDir } from './run-rule';

// File paths in findings are relative to the working directory: run from the repo root, like the CLI.
beforeAll(() => process.chdir(path.resolve(__dirname, '../../../../..')));

const ASL_RULES = [
  'SLW-SFN-003',
  'SLW-SFN-004',
  'SLW-SFN-005',
  'SLW-SFN-006',
  'SLW-SFN-007',
  'SLW-SFN-008',
];
const ruleOf = (id: string) => RULES.find((r) => r.id === id) as Rule;
const lines = (findings: Finding[]) =>
  findings.map(
    (f) => `${f.ruleId} ${f.address} ${path.basename(f.file ?? '')}:${f.line} ${f.message}`,
  );

async function check(
  id: string,
  inputs: Pick<ScanOptions, 'hcl' | 'plans' | 'tfJson'>,
  profile: ProfileName = 'baseline',
) {
  const { model } = await buildModel({ ...inputs, allowDestroy: [] });
  const { findings, warnings } = runRule(ruleOf(id), model, builtinProfile(profile), {
    allowDestroy: [],
  });
  return { model, findings: lines(findings), warnings };
}

const SM = 'aws_sfn_state_machine.flow';
const cases: { id: string; severity: string; paths: string[]; fail: string[] }[] = [
  {
    id: 'SLW-SFN-003',
    severity: 'medium',
    paths: [
      'Invoke',
      'Fanout',
      'Fanout/Branches[0]/InBranch',
      'Each',
      'Each/ItemProcessor/Render',
      'Announce',
    ],
    fail: [
      `SLW-SFN-003 ${SM} main.tf:2 state NoRetry: does not retry the transient Lambda errors Lambda.ServiceException, Lambda.AWSLambdaException, Lambda.SdkClientException, Lambda.TooManyRequestsException.`,
      `SLW-SFN-003 ${SM} main.tf:2 state NoBackoff: Retry[0] BackoffRate 1 does not back off (use > 1).`,
      `SLW-SFN-003 ${SM} main.tf:2 state Fanout: Retry[0] on States.ALL does not set MaxAttempts.`,
      `SLW-SFN-003 ${SM} main.tf:2 state Fanout/Branches[0]/ZeroFirst: does not retry the transient Lambda errors Lambda.TooManyRequestsException.`,
      `SLW-SFN-003 ${SM} main.tf:2 state Each/ItemProcessor/Render: does not retry transient errors (States.TaskFailed, or its service throttling/5xx errors).`,
      `SLW-SFN-003 ${SM} main.tf:2 state Announce: Retry[0] MaxAttempts 50 is above 10.`,
    ],
  },
  {
    id: 'SLW-SFN-004',
    severity: 'high',
    paths: [
      'Work',
      'KeepError',
      'Route',
      'Fanout',
      'Fanout/Branches[0]/InBranch',
      'Fanout/Branches[0]/BranchFailed',
      'CheckBranches',
      'Publish',
      'Quarantine',
      'Rejected',
      'Done',
      'Failed',
    ],
    fail: [
      `SLW-SFN-004 ${SM} main.tf:3 state Work: Catch[1] leads to Done (Succeed), which ends the execution as succeeded without a Task or Fail reporting the error.`,
      `SLW-SFN-004 ${SM} main.tf:3 state Other: Catch[0] leads to KeepError (Pass) → Route (Choice) → Done (Succeed), which ends the execution as succeeded without a Task or Fail reporting the error.`,
      `SLW-SFN-004 ${SM} main.tf:3 state Fanout/Branches[0]/InBranch: Catch[0] leads to BranchFailed (Pass) → Done (Succeed), which ends the execution as succeeded without a Task or Fail reporting the error.`,
    ],
  },
  {
    id: 'SLW-SFN-005',
    severity: 'medium',
    paths: ['Invoke', 'Approve', 'Each', 'Each/ItemProcessor/Work'],
    fail: [
      `SLW-SFN-005 ${SM} main.tf:3 state Invoke: has no TimeoutSeconds.`,
      `SLW-SFN-005 ${SM} main.tf:3 state Approve: waits for a worker (arn:aws:states:::lambda:invoke.waitForTaskToken) but has no HeartbeatSeconds.`,
      `SLW-SFN-005 ${SM} main.tf:3 state Each/ItemProcessor/Work: HeartbeatSeconds 60 is not below TimeoutSeconds 60.`,
    ],
  },
  {
    id: 'SLW-SFN-006',
    severity: 'medium',
    paths: [
      'Fanout',
      'Fanout/Branches[0]/Outer',
      'Fanout/Branches[0]/Outer/Iterator/Inner',
      'Fanout/Branches[0]/Outer/Iterator/Inner/ItemProcessor/Noop',
    ],
    fail: [
      `SLW-SFN-006 ${SM} main.tf:3 state Fanout/Branches[0]/Outer: Map has no MaxConcurrency (unbounded).`,
      `SLW-SFN-006 ${SM} main.tf:3 state Fanout/Branches[0]/Outer/Iterator/Inner: Map MaxConcurrency is 0 (unbounded).`,
    ],
  },
  {
    id: 'SLW-SFN-007',
    severity: 'medium',
    paths: ['Selected', 'Discarded', 'Each', 'Each/ItemProcessor/Narrowed', 'Announce'],
    fail: [
      `SLW-SFN-007 ${SM} main.tf:4 state Selected: ResultSelector nested.all.$ = States.JsonToString($.Payload) keeps the Lambda Payload into $.selected; state data is capped at 256 KiB.`,
      `SLW-SFN-007 ${SM} main.tf:4 state Raw: keeps the Lambda Payload (no ResultSelector) into $.raw; state data is capped at 256 KiB.`,
      `SLW-SFN-007 ${SM} main.tf:4 state Body: ResultSelector body.$ = $.Body keeps the S3 object Body into $.object; state data is capped at 256 KiB.`,
      `SLW-SFN-007 ${SM} main.tf:4 state Each/ItemProcessor/Whole: keeps the Lambda Payload (no ResultSelector, OutputPath $.Payload) into $; state data is capped at 256 KiB.`,
    ],
  },
  {
    id: 'SLW-SFN-008',
    severity: 'high',
    // jsonencode sorts keys: B before Fanout.
    paths: ['B', 'Fanout', 'Fanout/Branches[0]/A'],
    fail: [
      `SLW-SFN-008 ${SM} main.tf:28 role aws_iam_role.sfn cannot invoke arn:aws:lambda:eu-west-1:123456789012:function:slipway-dev-c, which state C invokes.`,
      `SLW-SFN-008 ${SM} main.tf:28 role aws_iam_role.sfn may invoke arn:aws:lambda:eu-west-1:123456789012:function:slipway-dev-b*, which is more than the functions the definition names (arn:aws:lambda:eu-west-1:123456789012:function:slipway-dev-a, arn:aws:lambda:eu-west-1:123456789012:function:slipway-dev-b, arn:aws:lambda:eu-west-1:123456789012:function:slipway-dev-c).`,
    ],
  },
];

describe.each(cases)('$id', ({ id, severity, paths, fail }) => {
  const rule = ruleOf(id);

  it('is listed with its severity, both profiles, and says why it has no public equivalent', () => {
    expect([rule.severity, Object.keys(rule.profiles).sort(), rule.checkov, rule.trivy]).toEqual([
      severity,
      ['baseline', 'strict'],
      [],
      [],
    ]);
    // checkov's only Step Functions checks are the two SLW-SFN-001/002 implement.
    expect(RULES.filter((r) => /^SLW-SFN/.test(r.id)).flatMap((r) => r.checkov)).toEqual([
      'CKV_AWS_284',
      'CKV_AWS_285',
    ]);
  });

  it('passes the pass fixture after reading every state of its definition', async () => {
    const { model, findings, warnings } = await check(
      id,
      { hcl: [fixtureDir(id, 'pass')] },
      'strict',
    );
    const [sm] = resourcesOfType(model, 'aws_sfn_state_machine');
    const read = readDefinition(sm);
    expect('asl' in read && walkStates(read.asl).map((v) => v.path)).toEqual(paths);
    expect({ findings, warnings }).toEqual({ findings: [], warnings: [] });
  });

  it('reports exactly the broken states of the fail fixture', async () => {
    const { findings, warnings } = await check(id, { hcl: [fixtureDir(id, 'fail')] });
    expect({ findings, warnings }).toEqual({ findings: fail, warnings: [] });
  });
});

const ASL = path.join(__dirname, '../../fixtures/asl');
const UNKNOWN_FILE = 'tools/governance/tests/fixtures/asl/unknown/main.tf';
const because = (address: string) =>
  `cannot verify the state machine definition of ${address} because file(…) is unknown (file() is not evaluated: reads a file governance does not load).`;

describe('where the ASL comes from', () => {
  it.each([
    [
      'a synthesized stack: the module argument the definition references',
      { tfJson: [path.join(ASL, 'stack/cdk.tf.json')] },
      'main.tf:12',
    ],
    [
      'a plan: the module call argument holding an ASL document',
      { plans: [path.join(ASL, 'plan/flow.json')] },
      'flow.json:undefined',
    ],
  ])('%s', async (_name, inputs, where) => {
    const { model, findings } = await check('SLW-SFN-005', inputs);
    const [sm] = resourcesOfType(model, 'aws_sfn_state_machine');
    const read = readDefinition(sm);
    expect([sm.attributes.definition, 'source' in read && read.source]).toEqual([
      expect.objectContaining({ unknown: true }),
      'module.flow argument definition',
    ]);
    expect(findings).toEqual([
      `SLW-SFN-005 module.flow.aws_sfn_state_machine.this ${where} state Work: has no TimeoutSeconds.`,
    ]);
  });

  it('an unreadable definition (file()) is a baseline warning of every ASL rule', async () => {
    for (const id of ASL_RULES) {
      const { findings, warnings } = await check(id, { hcl: [path.join(ASL, 'unknown')] });
      expect({ findings, warnings }).toEqual({
        findings: [],
        warnings: [`${id} ${SM} (${UNKNOWN_FILE}:3): ${because(SM)}`],
      });
    }
  });

  it('an unreadable definition is a strict finding of every ASL rule, at the strict unknowns severity', async () => {
    const { model } = await buildModel({ hcl: [path.join(ASL, 'unknown')], allowDestroy: [] });
    const found = ASL_RULES.flatMap(
      (id) => runRule(ruleOf(id), model, builtinProfile('strict'), { allowDestroy: [] }).findings,
    ).map((f) => `${f.ruleId} ${f.severity} ${f.address} ${f.message}`);
    expect(found).toEqual(ASL_RULES.map((id) => `${id} high ${SM} ${because(SM)}`));
  });

  it('a definition that is not JSON is a finding of every ASL rule', async () => {
    const { model } = await buildModel({ hcl: [path.join(ASL, 'invalid')], allowDestroy: [] });
    const found = ASL_RULES.flatMap(
      (id) => runRule(ruleOf(id), model, builtinProfile('baseline'), { allowDestroy: [] }).findings,
    ).map((f) => `${f.ruleId} ${f.address} ${path.basename(f.file ?? '')}:${f.line} ${f.message}`);
    expect(found).toEqual(
      ASL_RULES.map(
        (id) =>
          `${id} ${SM} main.tf:2 definition (definition) is not valid JSON (Expected double-quoted property name in JSON at position 64).`,
      ),
    );
  });
});
