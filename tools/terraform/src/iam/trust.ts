/**
 * Checks of the bootstrap roles' trust policies (`assume_role_policy`, as planned), written as
 * the subjects the repository's customized OIDC template produces: claims `repo`, `context` and
 * `job_workflow_ref`, so a subject reads
 * `repo:<owner>/<repo>:<context>:job_workflow_ref:<owner>/<repo>/.github/workflows/<file>@<ref>`
 * (https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect#customizing-the-subject-claims-for-an-organization-or-repository).
 *
 * A deploy role must trust exactly one subject: its GitHub environment and the apply workflow as
 * committed on `main`, so neither an unprotected environment nor a workflow pushed on another
 * branch can assume it (issue 12, item 1). A plan role must never trust pull requests unless its
 * environment is the one pull-request plans run for, and names a workflow file in every subject.
 */

/** One statement of a trust policy, as `jsonencode` writes it. */
export interface TrustStatement {
  Sid?: string;
  Effect: string;
  Principal?: { Federated?: string; [kind: string]: unknown };
  Action?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
  [element: string]: unknown;
}

/** A trust policy document. */
export interface TrustPolicy {
  Version?: string;
  Statement: TrustStatement | TrustStatement[];
}

/** What a GitHub OIDC trust of the bootstrap must name. */
export interface GitHubTrust {
  /** `owner/name`, as in the OIDC `repo` claim. */
  repository: string;
  /** The Slipway (and GitHub) environment of the role. */
  environment: string;
}

/** The OIDC issuer host of GitHub Actions: the prefix of its condition keys. */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';

const SUB = `${GITHUB_OIDC_HOST}:sub`;
const AUD = `${GITHUB_OIDC_HOST}:aud`;

/**
 * The one subject a deploy role may trust: `environment:<env>` and the apply workflow on main.
 *
 * @example
 * deploySubject({ repository: 'acme/slipway', environment: 'prod' }, 'reusable-apply.yml');
 * // 'repo:acme/slipway:environment:prod:job_workflow_ref:acme/slipway/.github/workflows/reusable-apply.yml@refs/heads/main'
 */
export function deploySubject(trust: GitHubTrust, applyWorkflowFile: string): string {
  const { repository, environment } = trust;
  return `repo:${repository}:environment:${environment}:job_workflow_ref:${repository}/.github/workflows/${applyWorkflowFile}@refs/heads/main`;
}

function statementsOf(policy: TrustPolicy): TrustStatement[] {
  return Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
}

/** Problems every GitHub OIDC statement shares: effect, action, federated provider, audience. */
/**
 * The one statement a GitHub trust policy must have, its label for messages and what is already
 * wrong with its principal and action; or why there is not exactly one.
 */
function soleStatement(
  policy: TrustPolicy,
): { s: TrustStatement; label: string; problems: string[] } | string {
  const statements = statementsOf(policy);
  if (statements.length !== 1)
    return `the trust policy has ${statements.length} statements, expected exactly 1`;
  const s = statements[0]!;
  const label = `statement ${s.Sid ?? '#1'}`;
  return { s, label, problems: federationProblems(s, label) };
}

function federationProblems(s: TrustStatement, label: string): string[] {
  const problems: string[] = [];
  if (s.Effect !== 'Allow') problems.push(`${label}: Effect is ${s.Effect}, expected Allow`);
  const actions = [s.Action ?? []].flat();
  if (actions.length !== 1 || actions[0] !== 'sts:AssumeRoleWithWebIdentity')
    problems.push(
      `${label}: Action is ${JSON.stringify(s.Action)}, expected "sts:AssumeRoleWithWebIdentity" only`,
    );
  const principal = s.Principal ?? {};
  if (
    Object.keys(principal).join() !== 'Federated' ||
    typeof principal.Federated !== 'string' ||
    !principal.Federated.endsWith(`:oidc-provider/${GITHUB_OIDC_HOST}`)
  )
    problems.push(
      `${label}: Principal is ${JSON.stringify(s.Principal)}, expected only the GitHub OIDC provider (Federated …:oidc-provider/${GITHUB_OIDC_HOST})`,
    );
  const aud = s.Condition?.StringEquals?.[AUD];
  if (aud !== 'sts.amazonaws.com')
    problems.push(
      `${label}: StringEquals ${AUD} is ${JSON.stringify(aud)}, expected "sts.amazonaws.com"`,
    );
  return problems;
}

/**
 * What is wrong with a deploy role's trust policy; empty when it trusts exactly
 * {@link deploySubject} with audience `sts.amazonaws.com` and nothing else. Any other condition
 * operator (e.g. `StringLike`, which would admit wildcards) or a second statement is a problem.
 */
export function deployTrustProblems(
  policy: TrustPolicy,
  trust: GitHubTrust,
  applyWorkflowFile: string,
): string[] {
  const sole = soleStatement(policy);
  if (typeof sole === 'string') return [sole];
  const { s, label, problems } = sole;
  const operators = Object.keys(s.Condition ?? {});
  if (operators.join() !== 'StringEquals')
    problems.push(
      `${label}: condition operators are ${operators.join(', ')}, expected StringEquals only`,
    );
  const keys = Object.keys(s.Condition?.StringEquals ?? {}).sort();
  if (keys.join() !== [AUD, SUB].join())
    problems.push(`${label}: StringEquals keys are ${keys.join(', ')}, expected ${AUD}, ${SUB}`);
  const expected = deploySubject(trust, applyWorkflowFile);
  const sub = s.Condition?.StringEquals?.[SUB];
  if (sub !== expected)
    problems.push(
      `${label}: ${SUB} is ${JSON.stringify(sub)}, expected exactly "${expected}" (environment ${trust.environment}, ${applyWorkflowFile} on main)`,
    );
  return problems;
}

/**
 * What is wrong with a plan role's trust policy; empty when every subject is of the repository,
 * names a workflow file of `.github/workflows` (`job_workflow_ref`), runs on a branch or, only
 * when `pullRequests` is true, in a pull request.
 */
export function planTrustProblems(
  policy: TrustPolicy,
  trust: GitHubTrust,
  pullRequests: boolean,
): string[] {
  const sole = soleStatement(policy);
  if (typeof sole === 'string') return [sole];
  const { s, label, problems } = sole;
  const subjects = [
    s.Condition?.StringEquals?.[SUB] ?? [],
    s.Condition?.StringLike?.[SUB] ?? [],
  ].flat();
  if (subjects.length === 0) problems.push(`${label}: no ${SUB} condition`);
  const repo = trust.repository.replace(/[.]/g, '\\.');
  const workflow = `job_workflow_ref:${repo}/\\.github/workflows/[A-Za-z0-9._-]+\\.ya?ml`;
  const branch = new RegExp(
    `^repo:${repo}:ref:refs/heads/([A-Za-z0-9._/-]+):${workflow}@refs/heads/\\1$`,
  );
  const pullRequest = new RegExp(`^repo:${repo}:pull_request:${workflow}@refs/pull/\\*/merge$`);
  for (const sub of subjects) {
    if (branch.test(sub)) continue;
    if (pullRequest.test(sub)) {
      if (!pullRequests)
        problems.push(
          `${label}: ${sub} lets pull-request code assume the ${trust.environment} plan role; only the pull-request plan environment may trust pull_request`,
        );
      continue;
    }
    problems.push(
      `${label}: ${sub} is neither a plan workflow on a branch nor a pull request of ${trust.repository} with its job_workflow_ref`,
    );
  }
  return problems;
}
