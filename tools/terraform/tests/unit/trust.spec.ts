import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  deploySubject,
  deployTrustProblems,
  planTrustProblems,
  type TrustPolicy,
  type TrustStatement,
} from '../../src/iam/trust';

// Fixtures: assume_role_policy of aws_iam_role.deploy["prod"], plan["dev"] and plan["prod"] from
// the offline bootstrap plan (npx nx run tf-bootstrap:plan, offline-plan.tfvars).
const FIXTURES = join(__dirname, '../fixtures/iam');
const read = (name: string): TrustPolicy =>
  JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as TrustPolicy;
const DEPLOY_PROD = read('trust-deploy-prod.json');
const PLAN_DEV = read('trust-plan-dev.json');
const PLAN_PROD = read('trust-plan-prod.json');
const PROD = { repository: 'acme/slipway', environment: 'prod' };
const DEV = { repository: 'acme/slipway', environment: 'dev' };
const SUB = 'token.actions.githubusercontent.com:sub';
const APPLY = 'reusable-apply.yml';

/** A copy of the policy's only statement, for breaking one field. */
function broken(policy: TrustPolicy, edit: (s: TrustStatement) => void): TrustPolicy {
  const copy = structuredClone(policy);
  edit([copy.Statement].flat()[0]);
  return copy;
}

describe('deploySubject', () => {
  it('names the environment and the apply workflow on main', () => {
    expect(deploySubject(PROD, APPLY)).toBe(
      'repo:acme/slipway:environment:prod:job_workflow_ref:acme/slipway/.github/workflows/reusable-apply.yml@refs/heads/main',
    );
  });
});

describe('deployTrustProblems', () => {
  it('accepts the planned prod deploy trust', () => {
    // Prepare: the fixture really holds the subject (so "no problems" means it was checked).
    expect([DEPLOY_PROD.Statement].flat()[0].Condition?.StringEquals?.[SUB]).toBe(
      deploySubject(PROD, APPLY),
    );

    // Act / Assess
    expect(deployTrustProblems(DEPLOY_PROD, PROD, APPLY)).toEqual([]);
  });

  it.each([
    [
      'the environment-only subject GitHub sends without a customized template',
      'repo:acme/slipway:environment:prod',
    ],
    [
      'the apply workflow from another branch',
      'repo:acme/slipway:environment:prod:job_workflow_ref:acme/slipway/.github/workflows/reusable-apply.yml@refs/heads/feature',
    ],
    [
      'another workflow file on main',
      'repo:acme/slipway:environment:prod:job_workflow_ref:acme/slipway/.github/workflows/ci.yml@refs/heads/main',
    ],
    [
      'another environment',
      'repo:acme/slipway:environment:dev:job_workflow_ref:acme/slipway/.github/workflows/reusable-apply.yml@refs/heads/main',
    ],
  ])('refuses a subject with %s', (_, sub) => {
    // Prepare
    const policy = broken(DEPLOY_PROD, (s) => {
      s.Condition!.StringEquals[SUB] = sub;
    });

    // Act
    const problems = deployTrustProblems(policy, PROD, APPLY);

    // Assess
    expect(problems).toEqual([
      `statement GitHubActionsEnvironment: ${SUB} is ${JSON.stringify(sub)}, expected exactly "${deploySubject(PROD, APPLY)}" (environment prod, reusable-apply.yml on main)`,
    ]);
  });

  it('refuses the right subject under StringLike (wildcards would be honoured)', () => {
    // Prepare
    const policy = broken(DEPLOY_PROD, (s) => {
      s.Condition = {
        StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' },
        StringLike: { [SUB]: 'repo:acme/slipway:environment:prod:*' },
      };
    });

    // Act / Assess
    expect(deployTrustProblems(policy, PROD, APPLY)).toEqual([
      'statement GitHubActionsEnvironment: condition operators are StringEquals, StringLike, expected StringEquals only',
      `statement GitHubActionsEnvironment: StringEquals keys are token.actions.githubusercontent.com:aud, expected token.actions.githubusercontent.com:aud, ${SUB}`,
      `statement GitHubActionsEnvironment: ${SUB} is undefined, expected exactly "${deploySubject(PROD, APPLY)}" (environment prod, reusable-apply.yml on main)`,
    ]);
  });

  it('refuses a missing audience', () => {
    // Prepare
    const policy = broken(DEPLOY_PROD, (s) => {
      delete s.Condition!.StringEquals['token.actions.githubusercontent.com:aud'];
    });

    // Act / Assess
    expect(deployTrustProblems(policy, PROD, APPLY)).toEqual([
      'statement GitHubActionsEnvironment: StringEquals token.actions.githubusercontent.com:aud is undefined, expected "sts.amazonaws.com"',
      `statement GitHubActionsEnvironment: StringEquals keys are ${SUB}, expected token.actions.githubusercontent.com:aud, ${SUB}`,
    ]);
  });

  it('refuses a principal other than the GitHub OIDC provider', () => {
    // Prepare
    const policy = broken(DEPLOY_PROD, (s) => {
      s.Principal = { AWS: 'arn:aws:iam::222222222222:root' };
    });

    // Act / Assess
    expect(deployTrustProblems(policy, PROD, APPLY)).toEqual([
      'statement GitHubActionsEnvironment: Principal is {"AWS":"arn:aws:iam::222222222222:root"}, expected only the GitHub OIDC provider (Federated …:oidc-provider/token.actions.githubusercontent.com)',
    ]);
  });
});

describe('planTrustProblems', () => {
  it('accepts the planned dev plan trust, pull requests included', () => {
    // Prepare: dev's trust really lists a pull-request subject.
    const subs = [PLAN_DEV.Statement].flat()[0].Condition?.StringLike?.[SUB];
    expect(subs).toContain(
      'repo:acme/slipway:pull_request:job_workflow_ref:acme/slipway/.github/workflows/reusable-plan.yml@refs/pull/*/merge',
    );

    // Act / Assess
    expect(planTrustProblems(PLAN_DEV, DEV, true)).toEqual([]);
  });

  it('accepts the planned prod plan trust without pull requests', () => {
    expect([PLAN_PROD.Statement].flat()[0].Condition?.StringLike?.[SUB]).toEqual([
      'repo:acme/slipway:ref:refs/heads/main:job_workflow_ref:acme/slipway/.github/workflows/reusable-plan.yml@refs/heads/main',
      'repo:acme/slipway:ref:refs/heads/main:job_workflow_ref:acme/slipway/.github/workflows/drift.yml@refs/heads/main',
    ]);
    expect(planTrustProblems(PLAN_PROD, PROD, false)).toEqual([]);
  });

  it('refuses a pull-request subject on the prod plan role', () => {
    // Prepare: the dev trust (with its pull-request subject) as if it were prod's.
    const pr =
      'repo:acme/slipway:pull_request:job_workflow_ref:acme/slipway/.github/workflows/reusable-plan.yml@refs/pull/*/merge';

    // Act
    const problems = planTrustProblems(PLAN_DEV, PROD, false);

    // Assess
    expect(problems).toEqual([
      `statement GitHubActionsPlanWorkflows: ${pr} lets pull-request code assume the prod plan role; only the pull-request plan environment may trust pull_request`,
    ]);
  });

  it('refuses a branch subject without job_workflow_ref', () => {
    // Prepare
    const policy = broken(PLAN_PROD, (s) => {
      (s.Condition!.StringLike[SUB] as string[])[1] = 'repo:acme/slipway:ref:refs/heads/main';
    });

    // Act / Assess
    expect(planTrustProblems(policy, PROD, false)).toEqual([
      'statement GitHubActionsPlanWorkflows: repo:acme/slipway:ref:refs/heads/main is neither a plan workflow on a branch nor a pull request of acme/slipway with its job_workflow_ref',
    ]);
  });

  it('refuses a workflow ref of another branch than the run', () => {
    // Prepare
    const policy = broken(PLAN_PROD, (s) => {
      (s.Condition!.StringLike[SUB] as string[])[0] =
        'repo:acme/slipway:ref:refs/heads/main:job_workflow_ref:acme/slipway/.github/workflows/reusable-plan.yml@refs/heads/*';
    });

    // Act / Assess
    expect(planTrustProblems(policy, PROD, false)).toEqual([
      'statement GitHubActionsPlanWorkflows: repo:acme/slipway:ref:refs/heads/main:job_workflow_ref:acme/slipway/.github/workflows/reusable-plan.yml@refs/heads/* is neither a plan workflow on a branch nor a pull request of acme/slipway with its job_workflow_ref',
    ]);
  });
});
