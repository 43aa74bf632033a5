import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  applySettings,
  diffSettings,
  gitHubClient,
  GitHubApiError,
  main,
  parseSettings,
  SettingsFileError,
  type RepositorySettings,
} from '../../src/github-settings';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github';

const ROOT = join(__dirname, '../../../..');
const REPO = 'acme/slipway';
const TOKEN = 'ghp_test_admin';
const committed = JSON.parse(readFileSync(join(ROOT, '.github/repository-settings.json'), 'utf8'));
const stackEnvironments = Object.keys(
  JSON.parse(readFileSync(join(ROOT, 'terraform/stacks/environments.json'), 'utf8')).environments,
);
const settings: RepositorySettings = parseSettings(committed, stackEnvironments);
/** The settings file as plain JSON, for breaking one field. */
interface EditableSettings {
  oidcSubjectClaims: string[];
  branchProtection: Record<string, unknown>;
  environments: Record<string, unknown>[];
}
const clone = () => structuredClone(committed) as EditableSettings;

function buffers() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { write: (t: string) => out.push(t), error: (t: string) => err.push(t) }, out, err };
}

const args = [
  '--repo',
  REPO,
  '--settings',
  join(ROOT, '.github/repository-settings.json'),
  '--environments',
  join(ROOT, 'terraform/stacks/environments.json'),
];

describe('github-settings', () => {
  let gh: FakeGitHub;
  beforeEach(async () => {
    gh = await startFakeGitHub(REPO, TOKEN);
  });
  afterEach(() => gh.close());

  it('lists every open setting of a repository nobody configured', async () => {
    expect(await diffSettings(gitHubClient(TOKEN, gh.url), REPO, settings)).toEqual([
      'OIDC subject template: the default (repo:R:<context> only), want claims repo, context, job_workflow_ref in that order',
      'branch main: not protected',
      'environment dev: does not exist (GitHub would create it unprotected on first use)',
      'environment staging: does not exist (GitHub would create it unprotected on first use)',
      'environment prod: does not exist (GitHub would create it unprotected on first use)',
    ]);
  });

  it('apply sets the OIDC template, branch protection and each environment, after which verify passes', async () => {
    const github = gitHubClient(TOKEN, gh.url);
    await applySettings(github, REPO, settings);
    expect(gh.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PUT /repos/acme/slipway/actions/oidc/customization/sub',
      'PUT /repos/acme/slipway/branches/main/protection',
      'PUT /repos/acme/slipway/environments/dev',
      'GET /repos/acme/slipway/environments/dev/deployment-branch-policies?per_page=100',
      'POST /repos/acme/slipway/environments/dev/deployment-branch-policies',
      'GET /orgs/acme/teams/platform',
      'PUT /repos/acme/slipway/environments/staging',
      'GET /repos/acme/slipway/environments/staging/deployment-branch-policies?per_page=100',
      'POST /repos/acme/slipway/environments/staging/deployment-branch-policies',
      'GET /orgs/acme/teams/platform',
      'PUT /repos/acme/slipway/environments/prod',
      'GET /repos/acme/slipway/environments/prod/deployment-branch-policies?per_page=100',
      'POST /repos/acme/slipway/environments/prod/deployment-branch-policies',
    ]);
    expect(gh.requests[0]?.body).toEqual({
      use_default: false,
      include_claim_keys: ['repo', 'context', 'job_workflow_ref'],
    });
    expect(gh.requests.find((r) => r.path.endsWith('/environments/prod'))?.body).toEqual({
      wait_timer: 0,
      prevent_self_review: true,
      reviewers: [{ type: 'Team', id: 4242 }],
      can_admins_bypass: false,
      deployment_branch_policy: { protected_branches: false, custom_branch_policies: true },
    });
    expect(gh.state.environments.prod?.policies).toEqual([{ id: 3, name: 'main', type: 'branch' }]);
    expect(await diffSettings(github, REPO, settings)).toEqual([]);
  });

  it('finds settings changed by hand in the web UI, and apply reverts exactly them', async () => {
    const github = gitHubClient(TOKEN, gh.url);
    await applySettings(github, REPO, settings);
    const prod = gh.state.environments.prod!;
    prod.can_admins_bypass = true;
    prod.policies.push({ id: 99, name: 'release', type: 'branch' });
    gh.state.environments.staging!.prevent_self_review = false;
    gh.state.oidc = { use_default: false, include_claim_keys: ['repo', 'context'] };
    expect(await diffSettings(github, REPO, settings)).toEqual([
      'OIDC subject template: claims repo, context, want claims repo, context, job_workflow_ref in that order',
      'environment staging: self-review allowed, want prevented',
      'environment prod: administrators may bypass its protection rules, want no bypass',
      'environment prod: deployment branches main, release, want main',
    ]);
    gh.requests.length = 0;
    await applySettings(github, REPO, settings);
    expect(gh.requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([
      '/repos/acme/slipway/environments/prod/deployment-branch-policies/99',
    ]);
    expect(await diffSettings(github, REPO, settings)).toEqual([]);
  });

  it('the CLI exits 1 with the differences on verify, and 0 after apply', async () => {
    const env = { GH_TOKEN: TOKEN, GITHUB_API_URL: gh.url };
    const first = buffers();
    expect(await main(['verify', ...args], first.io, env)).toBe(1);
    expect(first.err.join('')).toContain(
      'github-settings: acme/slipway differs from the declared settings:\n  - OIDC subject template',
    );
    expect(first.err.join('')).toContain('Run `github-settings apply` with an administrator token');
    const applied = buffers();
    expect(await main(['apply', ...args], applied.io, env)).toBe(0);
    expect(applied.out.join('')).toContain('changing acme/slipway:\n  - OIDC subject template');
    const second = buffers();
    expect(await main(['verify', ...args], second.io, env)).toBe(0);
    expect(second.out.join('')).toContain(
      'environments dev (main only), staging (main only, team platform), prod (main only, team platform); no administrator bypass.',
    );
  });

  it('names the token problem: none set, or one GitHub refuses', async () => {
    const none = buffers();
    expect(await main(['verify', ...args], none.io, {})).toBe(2);
    expect(none.err.join('')).toContain(
      'set GH_TOKEN (or GITHUB_TOKEN) to a token of a repository administrator',
    );
    await expect(diffSettings(gitHubClient('wrong', gh.url), REPO, settings)).rejects.toThrow(
      new GitHubApiError(
        'GET',
        '/repos/acme/slipway/actions/oidc/customization/sub',
        401,
        '{"message":"Bad credentials"}',
      ),
    );
  });

  it('a reviewer team that does not exist fails apply naming the call', async () => {
    const broken = clone();
    broken.environments[2].reviewers = [{ team: 'nobody' }];
    await expect(
      applySettings(gitHubClient(TOKEN, gh.url), REPO, parseSettings(broken, stackEnvironments)),
    ).rejects.toThrow('GitHub API GET /orgs/acme/teams/nobody answered 404');
  });
});

describe('parseSettings', () => {
  it('accepts the committed settings, which declare every stack environment', () => {
    expect(settings.environments.map((e) => e.name)).toEqual(stackEnvironments);
  });

  const cases: [string, (s: EditableSettings) => void, string][] = [
    [
      'a wildcard branch',
      (s) => (s.environments[2].branches = ['release/*']),
      'environments[prod].branches.0: a branch name, no wildcard',
    ],
    [
      'no branch',
      (s) => (s.environments[0].branches = []),
      'environments[dev].branches: at least one branch (main)',
    ],
    [
      'reviewers who may approve their own deploy',
      (s) => (s.environments[2].preventSelfReview = false),
      'environments[prod].preventSelfReview: must be true when there are reviewers',
    ],
    [
      'administrators not bound by the rules',
      (s) => (s.branchProtection.enforceAdmins = false),
      'branchProtection.enforceAdmins: must be true',
    ],
    [
      'a subject template without the workflow ref',
      (s) => (s.oidcSubjectClaims = ['repo', 'context']),
      'oidcSubjectClaims: must include "context" and "job_workflow_ref"',
    ],
    [
      'an unknown field (e.g. a bypass switch)',
      (s) => (s.environments[1].canAdminsBypass = true),
      'environments[staging]: Unrecognized key: "canAdminsBypass"',
    ],
    [
      'a stack environment left out',
      (s) => s.environments.pop(),
      'environments: "prod" (terraform/stacks/environments.json) is not declared',
    ],
  ];
  it.each(cases)('refuses %s, naming the field', (_, breakIt, message) => {
    const broken = clone();
    breakIt(broken);
    let caught: unknown;
    try {
      parseSettings(broken, stackEnvironments);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SettingsFileError);
    expect((caught as Error).message).toContain(
      `.github/repository-settings.json is not valid:\n  - ${message}`,
    );
  });
});
