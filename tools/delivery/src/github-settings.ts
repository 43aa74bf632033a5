/**
 * The GitHub settings the deploy roles' trust rests on, as code (issue 12, item 1).
 *
 * The bootstrap's deploy roles trust one OIDC subject:
 * `repo:R:environment:<env>:job_workflow_ref:R/.github/workflows/reusable-apply.yml@refs/heads/main`.
 * That subject only exists if the repository's OIDC subject template carries `job_workflow_ref`,
 * and it only means "reviewed code on main" if `main` is protected and each environment admits
 * `main` alone, with reviewers where the settings say so and no administrator bypass. Those
 * settings live in GitHub, not in Terraform (the GitHub provider cannot be planned offline), so
 * `.github/repository-settings.json` declares them and this tool applies and checks them through
 * the GitHub REST API:
 *
 * - `verify` reads the live settings and exits 1 listing every difference (the checklist of
 *   docs/delivery.md, as a command);
 * - `apply` makes the differences go away (OIDC subject template, branch protection, each
 *   environment and its branch policies, removing branch policies not declared), then verifies.
 *
 * Run `apply` before the first bootstrap apply, so no role exists while the settings are open.
 * It needs a token of a repository administrator: `GH_TOKEN=$(gh auth token)`.
 *
 * @example GH_TOKEN=$(gh auth token) npx tsx tools/delivery/src/github-settings.ts verify --repo acme/slipway
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { DeliveryError, UsageError } from './errors';
import { asksForHelp, processIo, readFlags, runCli, runIfMain, type CliIo } from './cli';

/** Usage text. */
export const USAGE = `Usage: github-settings <verify|apply> --repo <owner/name> [--settings <file>] [--environments <file>]

Checks (verify) or sets (apply) the repository's GitHub settings the deploy roles rely on: the
OIDC subject template, branch protection of main, and the environments with their branch policies
and reviewers, as declared in .github/repository-settings.json.

  --repo <owner/name>      the repository (default: $GITHUB_REPOSITORY)
  --settings <file>        the declared settings (default: .github/repository-settings.json)
  --environments <file>    the stacks' environments, which must all be declared
                           (default: terraform/stacks/environments.json)
  --help                   this text

Environment: GH_TOKEN or GITHUB_TOKEN, a token of a repository administrator (e.g. $(gh auth token));
GITHUB_API_URL for GitHub Enterprise Server (default https://api.github.com).

Exit codes: 0 the settings match; 1 they differ (each difference listed), or the API refused; 2 bad usage.`;

const environmentName = z.string().regex(/^[a-z][a-z0-9-]*$/, 'lowercase letters, digits and -');

const reviewerSchema = z.union([
  z.object({ team: z.string().min(1) }).strict(),
  z.object({ user: z.string().min(1) }).strict(),
]);

const environmentSchema = z
  .object({
    name: environmentName,
    branches: z
      .array(
        z
          .string()
          .regex(
            /^[A-Za-z0-9._/-]+$/,
            'a branch name, no wildcard: a pattern would let other branches deploy',
          ),
      )
      .min(
        1,
        'at least one branch (main): an environment without a branch policy admits every branch',
      ),
    reviewers: z.array(reviewerSchema).max(6, 'GitHub allows at most 6 reviewers'),
    preventSelfReview: z.boolean(),
  })
  .strict()
  .superRefine((env, ctx) => {
    if (env.preventSelfReview && env.reviewers.length === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['preventSelfReview'],
        message: 'prevent self-review needs reviewers: add reviewers or set it to false',
      });
    if (env.reviewers.length > 0 && !env.preventSelfReview)
      ctx.addIssue({
        code: 'custom',
        path: ['preventSelfReview'],
        message:
          'must be true when there are reviewers: otherwise whoever starts the deploy approves it',
      });
  });

/** `.github/repository-settings.json`. */
export const settingsSchema = z
  .object({
    $comment: z.string().optional(),
    oidcSubjectClaims: z
      .array(z.string().min(1))
      .refine((keys) => keys.includes('job_workflow_ref') && keys.includes('context'), {
        message:
          'must include "context" and "job_workflow_ref": the deploy roles trust environment:<env>:job_workflow_ref:…@refs/heads/main',
      }),
    branchProtection: z
      .object({
        branch: z.string().min(1),
        requiredStatusChecks: z.array(z.string().min(1)),
        requiredApprovingReviews: z.number().int().min(1).max(6),
        requireCodeOwnerReviews: z.boolean(),
        dismissStaleReviews: z.boolean(),
        enforceAdmins: z.literal(true, {
          error:
            'must be true: an administrator pushing to main unreviewed reaches every deploy role',
        }),
      })
      .strict(),
    environments: z.array(environmentSchema).min(1),
  })
  .strict();

export type RepositorySettings = z.infer<typeof settingsSchema>;
export type EnvironmentSettings = RepositorySettings['environments'][number];
type Reviewer = z.infer<typeof reviewerSchema>;

/** The settings file is missing, not JSON, or breaks a rule; the message names the field. */
export class SettingsFileError extends DeliveryError {
  constructor(file: string, problems: readonly string[]) {
    super(`${file} is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'SettingsFileError';
  }
}

/** The live GitHub settings differ from the declared ones. */
export class SettingsDriftError extends DeliveryError {
  readonly differences: readonly string[];

  constructor(repo: string, differences: readonly string[], afterApply: boolean) {
    super(
      `${repo} differs from the declared settings:\n${differences.map((d) => `  - ${d}`).join('\n')}\n${
        afterApply
          ? 'They remain after apply: GitHub did not take them (plan limits? a team without access to the repository?).'
          : 'Run `github-settings apply` with an administrator token, or change .github/repository-settings.json.'
      }`,
    );
    this.name = 'SettingsDriftError';
    this.differences = differences;
  }
}

/** The GitHub API answered with an error. */
export class GitHubApiError extends DeliveryError {
  readonly status: number;

  constructor(method: string, path: string, status: number, body: string) {
    const hint =
      status === 401
        ? ' Set GH_TOKEN to a valid token (GH_TOKEN=$(gh auth token)).'
        : status === 403 || status === 404
          ? ' The token must belong to an administrator of the repository (and a team reviewer must exist in its organization).'
          : '';
    super(`GitHub API ${method} ${path} answered ${status}: ${body.trim().slice(0, 300)}.${hint}`);
    this.name = 'GitHubApiError';
    this.status = status;
  }
}

function issuesOf(error: z.ZodError, environmentNames: readonly string[]): string[] {
  return error.issues.map((issue) => {
    const [first, index, ...rest] = issue.path;
    const where =
      first === 'environments' && typeof index === 'number'
        ? `environments[${environmentNames[index] ?? index}]${rest.length ? `.${rest.join('.')}` : ''}`
        : issue.path.join('.');
    return `${where || '(top level)'}: ${issue.message}`;
  });
}

/**
 * Validates declared settings against the stacks' environments: each environment of
 * `terraform/stacks/environments.json` must be declared (a deploy to an undeclared one would
 * meet an environment GitHub creates unprotected on first use).
 *
 * @throws {SettingsFileError} listing every problem.
 */
export function parseSettings(
  raw: unknown,
  stackEnvironments: readonly string[],
  file = '.github/repository-settings.json',
): RepositorySettings {
  const names = Array.isArray((raw as { environments?: unknown })?.environments)
    ? ((raw as { environments: { name?: string }[] }).environments.map(
        (e) => e?.name ?? '?',
      ) as string[])
    : [];
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) throw new SettingsFileError(file, issuesOf(parsed.error, names));
  const problems: string[] = [];
  const declared = parsed.data.environments.map((e) => e.name);
  for (const name of stackEnvironments)
    if (!declared.includes(name))
      problems.push(
        `environments: "${name}" (terraform/stacks/environments.json) is not declared; add it, or GitHub creates it unprotected on its first deploy`,
      );
  const seen = new Set<string>();
  for (const name of declared) {
    if (seen.has(name)) problems.push(`environments: "${name}" is declared twice`);
    seen.add(name);
  }
  if (problems.length > 0) throw new SettingsFileError(file, problems);
  return parsed.data;
}

/** Reads and validates the two files. */
export function loadSettings(settingsFile: string, environmentsFile: string): RepositorySettings {
  const read = (file: string): unknown => {
    try {
      return JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new SettingsFileError(file, [(error as Error).message]);
    }
  };
  const stackEnvironments = Object.keys(
    (read(environmentsFile) as { environments?: Record<string, unknown> }).environments ?? {},
  );
  return parseSettings(read(settingsFile), stackEnvironments, settingsFile);
}

// ---------------------------------------------------------------------------------------------
// GitHub REST API
// ---------------------------------------------------------------------------------------------

/** A minimal GitHub REST client: the few calls this tool makes, errors as {@link GitHubApiError}. */
export interface GitHub {
  /** Resolves to the JSON body, or `undefined` for a 404 when `allowMissing`. */
  request<T>(
    method: string,
    path: string,
    body?: unknown,
    allowMissing?: boolean,
  ): Promise<T | undefined>;
}

/** A client on `fetch`, for `apiUrl` (https://api.github.com, or a GitHub Enterprise Server `/api/v3`). */
export function gitHubClient(token: string, apiUrl = 'https://api.github.com'): GitHub {
  const base = apiUrl.replace(/\/+$/, '');
  return {
    async request<T>(method: string, path: string, body?: unknown, allowMissing = false) {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${token}`,
          'x-github-api-version': '2022-11-28',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status === 404 && allowMissing) return undefined;
      if (!response.ok) throw new GitHubApiError(method, path, response.status, text);
      return (text ? JSON.parse(text) : {}) as T;
    },
  };
}

interface LiveEnvironment {
  can_admins_bypass?: boolean;
  deployment_branch_policy: { protected_branches: boolean; custom_branch_policies: boolean } | null;
  protection_rules?: {
    type: string;
    prevent_self_review?: boolean;
    reviewers?: {
      type: 'User' | 'Team';
      reviewer: { id: number; login?: string; slug?: string };
    }[];
  }[];
}

interface LiveBranchPolicies {
  branch_policies: { id: number; name: string; type?: string }[];
}

interface LiveProtection {
  required_status_checks?: { strict?: boolean; contexts?: string[] } | null;
  enforce_admins?: { enabled: boolean };
  required_pull_request_reviews?: {
    required_approving_review_count?: number;
    require_code_owner_reviews?: boolean;
    dismiss_stale_reviews?: boolean;
  };
}

const repoPath = (repo: string) => `/repos/${repo}`;
const envPath = (repo: string, env: string) =>
  `${repoPath(repo)}/environments/${encodeURIComponent(env)}`;
const reviewerName = (r: Reviewer) => ('team' in r ? `team ${r.team}` : `user ${r.user}`);
const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
const list = (values: readonly string[]) => (values.length ? values.join(', ') : 'none');

/**
 * Every way the live settings of `repo` differ from `settings`, one sentence each, in a fixed
 * order (OIDC, branch protection, then environments in declared order). Empty when they match.
 */
export async function diffSettings(
  github: GitHub,
  repo: string,
  settings: RepositorySettings,
): Promise<string[]> {
  const differences: string[] = [];

  const oidc = await github.request<{ use_default: boolean; include_claim_keys?: string[] }>(
    'GET',
    `${repoPath(repo)}/actions/oidc/customization/sub`,
  );
  const keys = oidc?.use_default ? [] : (oidc?.include_claim_keys ?? []);
  if (oidc?.use_default || keys.join(',') !== settings.oidcSubjectClaims.join(','))
    differences.push(
      `OIDC subject template: ${oidc?.use_default ? 'the default (repo:R:<context> only)' : `claims ${list(keys)}`}, want claims ${settings.oidcSubjectClaims.join(', ')} in that order`,
    );

  const bp = settings.branchProtection;
  const protection = await github.request<LiveProtection>(
    'GET',
    `${repoPath(repo)}/branches/${encodeURIComponent(bp.branch)}/protection`,
    undefined,
    true,
  );
  if (!protection) differences.push(`branch ${bp.branch}: not protected`);
  else {
    const checks = protection.required_status_checks?.contexts ?? [];
    if (!sameSet(checks, bp.requiredStatusChecks))
      differences.push(
        `branch ${bp.branch}: required status checks ${list(checks)}, want ${list(bp.requiredStatusChecks)}`,
      );
    if ((protection.enforce_admins?.enabled ?? false) !== bp.enforceAdmins)
      differences.push(`branch ${bp.branch}: rules do not apply to administrators, want enforced`);
    const reviews = protection.required_pull_request_reviews;
    if (!reviews) differences.push(`branch ${bp.branch}: pull request reviews not required`);
    else {
      if ((reviews.required_approving_review_count ?? 0) !== bp.requiredApprovingReviews)
        differences.push(
          `branch ${bp.branch}: ${reviews.required_approving_review_count ?? 0} approving reviews required, want ${bp.requiredApprovingReviews}`,
        );
      if ((reviews.require_code_owner_reviews ?? false) !== bp.requireCodeOwnerReviews)
        differences.push(
          `branch ${bp.branch}: code owner review ${reviews.require_code_owner_reviews ? 'required' : 'not required'}, want ${bp.requireCodeOwnerReviews ? 'required' : 'not required'}`,
        );
      if ((reviews.dismiss_stale_reviews ?? false) !== bp.dismissStaleReviews)
        differences.push(
          `branch ${bp.branch}: stale reviews ${reviews.dismiss_stale_reviews ? '' : 'not '}dismissed on push, want ${bp.dismissStaleReviews ? '' : 'not '}dismissed`,
        );
    }
  }

  for (const env of settings.environments) {
    const live = await github.request<LiveEnvironment>(
      'GET',
      envPath(repo, env.name),
      undefined,
      true,
    );
    const where = `environment ${env.name}`;
    if (!live) {
      differences.push(
        `${where}: does not exist (GitHub would create it unprotected on first use)`,
      );
      continue;
    }
    if (live.can_admins_bypass !== false)
      differences.push(`${where}: administrators may bypass its protection rules, want no bypass`);
    const policy = live.deployment_branch_policy;
    if (!policy || policy.protected_branches || !policy.custom_branch_policies)
      differences.push(
        `${where}: deployment branches ${!policy ? 'not restricted (any branch)' : policy.protected_branches ? 'are all protected branches' : 'not restricted'}, want selected branches ${env.branches.join(', ')}`,
      );
    else {
      const branches = await github.request<LiveBranchPolicies>(
        'GET',
        `${envPath(repo, env.name)}/deployment-branch-policies?per_page=100`,
      );
      const names = (branches?.branch_policies ?? [])
        .filter((b) => (b.type ?? 'branch') === 'branch')
        .map((b) => b.name);
      const tags = (branches?.branch_policies ?? [])
        .filter((b) => b.type === 'tag')
        .map((b) => b.name);
      if (!sameSet(names, env.branches))
        differences.push(
          `${where}: deployment branches ${list(names)}, want ${env.branches.join(', ')}`,
        );
      if (tags.length) differences.push(`${where}: deployment tags ${tags.join(', ')}, want none`);
    }
    const rule = live.protection_rules?.find((r) => r.type === 'required_reviewers');
    const liveReviewers = (rule?.reviewers ?? []).map((r) =>
      r.type === 'Team' ? `team ${r.reviewer.slug}` : `user ${r.reviewer.login}`,
    );
    const wantReviewers = env.reviewers.map(reviewerName);
    if (!sameSet(liveReviewers, wantReviewers))
      differences.push(
        `${where}: required reviewers ${list(liveReviewers)}, want ${list(wantReviewers)}`,
      );
    if ((rule?.prevent_self_review ?? false) !== env.preventSelfReview)
      differences.push(
        `${where}: self-review ${rule?.prevent_self_review ? 'prevented' : 'allowed'}, want ${env.preventSelfReview ? 'prevented' : 'allowed'}`,
      );
  }
  return differences;
}

async function reviewerIds(
  github: GitHub,
  repo: string,
  reviewers: readonly Reviewer[],
): Promise<{ type: 'User' | 'Team'; id: number }[]> {
  const owner = repo.split('/')[0] as string;
  const ids: { type: 'User' | 'Team'; id: number }[] = [];
  for (const r of reviewers) {
    const path =
      'team' in r
        ? `/orgs/${owner}/teams/${encodeURIComponent(r.team)}`
        : `/users/${encodeURIComponent(r.user)}`;
    const found = await github.request<{ id: number }>('GET', path);
    ids.push({ type: 'team' in r ? 'Team' : 'User', id: (found as { id: number }).id });
  }
  return ids;
}

/**
 * Sets the live settings to the declared ones: OIDC subject template, branch protection, then
 * each environment (created if missing) with exactly the declared branch policies.
 */
export async function applySettings(
  github: GitHub,
  repo: string,
  settings: RepositorySettings,
): Promise<void> {
  await github.request('PUT', `${repoPath(repo)}/actions/oidc/customization/sub`, {
    use_default: false,
    include_claim_keys: settings.oidcSubjectClaims,
  });

  const bp = settings.branchProtection;
  await github.request(
    'PUT',
    `${repoPath(repo)}/branches/${encodeURIComponent(bp.branch)}/protection`,
    {
      required_status_checks: { strict: true, contexts: bp.requiredStatusChecks },
      enforce_admins: bp.enforceAdmins,
      required_pull_request_reviews: {
        dismiss_stale_reviews: bp.dismissStaleReviews,
        require_code_owner_reviews: bp.requireCodeOwnerReviews,
        required_approving_review_count: bp.requiredApprovingReviews,
      },
      restrictions: null,
    },
  );

  for (const env of settings.environments) {
    await github.request('PUT', envPath(repo, env.name), {
      wait_timer: 0,
      prevent_self_review: env.preventSelfReview,
      reviewers: await reviewerIds(github, repo, env.reviewers),
      can_admins_bypass: false,
      deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
    });
    const policiesPath = `${envPath(repo, env.name)}/deployment-branch-policies`;
    const live = await github.request<LiveBranchPolicies>('GET', `${policiesPath}?per_page=100`);
    const existing = live?.branch_policies ?? [];
    for (const policy of existing)
      if ((policy.type ?? 'branch') !== 'branch' || !env.branches.includes(policy.name))
        await github.request('DELETE', `${policiesPath}/${policy.id}`);
    for (const branch of env.branches)
      if (!existing.some((p) => (p.type ?? 'branch') === 'branch' && p.name === branch))
        await github.request('POST', policiesPath, { name: branch, type: 'branch' });
  }
}

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

/** Parsed command line. */
export interface CliArgs {
  command: 'verify' | 'apply';
  repo: string;
  settings: string;
  environments: string;
}

/**
 * Parses `argv` (without node and script).
 *
 * @throws {UsageError} on an unknown command or flag, a missing value, or no repository.
 */
export function parseArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  root = process.cwd(),
): CliArgs | 'help' {
  if (asksForHelp(argv)) return 'help';
  const [command, ...rest] = argv;
  if (command !== 'verify' && command !== 'apply')
    throw new UsageError(
      `the first argument must be verify or apply, not ${JSON.stringify(command ?? '')}`,
    );
  const flags = readFlags(rest, { values: ['repo', 'settings', 'environments'] });
  if (flags === 'help') return flags;
  const { values } = flags;
  const repo = values.repo ?? env.GITHUB_REPOSITORY;
  if (!repo) throw new UsageError('--repo <owner/name> is required (or set GITHUB_REPOSITORY)');
  if (!/^[\w.-]+\/[\w.-]+$/.test(repo))
    throw new UsageError(
      `--repo must be <owner>/<name>, e.g. acme/slipway, not ${JSON.stringify(repo)}`,
    );
  return {
    command,
    repo,
    settings: values.settings ?? join(root, '.github/repository-settings.json'),
    environments: values.environments ?? join(root, 'terraform/stacks/environments.json'),
  };
}

/** Runs the command; resolves to the exit code. */
export function main(
  argv: string[],
  io: CliIo = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  return runCli(
    {
      name: 'github-settings',
      usage: USAGE,
      parse: (args) => parseArgs(args, env),
      // No token is a usage problem (exit 2), like a missing flag; API refusals and drift are 1.
      failureCode: (error) => (error instanceof UsageError ? 2 : 1),
      run: async (args, out) => {
        const settings = loadSettings(args.settings, args.environments);
        const token = env.GH_TOKEN || env.GITHUB_TOKEN;
        if (!token)
          throw new UsageError(
            'set GH_TOKEN (or GITHUB_TOKEN) to a token of a repository administrator, e.g. GH_TOKEN=$(gh auth token)',
          );
        const github = gitHubClient(token, env.GITHUB_API_URL || undefined);
        if (args.command === 'apply') {
          const before = await diffSettings(github, args.repo, settings);
          if (before.length > 0) {
            out.write(
              `github-settings: changing ${args.repo}:\n${before.map((d) => `  - ${d}\n`).join('')}`,
            );
            await applySettings(github, args.repo, settings);
          }
        }
        const differences = await diffSettings(github, args.repo, settings);
        if (differences.length > 0)
          throw new SettingsDriftError(args.repo, differences, args.command === 'apply');
        out.write(
          `github-settings: ${args.repo} matches ${args.settings.replace(`${process.cwd()}/`, '')}: OIDC claims ${settings.oidcSubjectClaims.join(', ')}; ${settings.branchProtection.branch} protected; environments ${settings.environments.map((e) => `${e.name} (${e.branches.join(', ')} only${e.reviewers.length ? `, ${e.reviewers.map(reviewerName).join(', ')}` : ''})`).join(', ')}; no administrator bypass.\n`,
        );
      },
    },
    argv,
    io,
  );
}

runIfMain(import.meta.url, 'github-settings', main);
