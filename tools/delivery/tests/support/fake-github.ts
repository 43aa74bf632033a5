/**
 * A stand-in for the few GitHub REST endpoints github-settings calls, served over real HTTP on
 * loopback (github.com is not reachable from the tests). It keeps repository settings in memory
 * and answers in the shapes the REST API documents (2022-11-28): 404 for an unprotected branch
 * or a missing environment, protection rules derived from what was PUT, branch policies that
 * only exist while the environment uses custom branch policies. Test code only.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeEnvironment {
  can_admins_bypass: boolean;
  prevent_self_review: boolean;
  reviewers: { type: 'User' | 'Team'; id: number }[];
  deployment_branch_policy: { protected_branches: boolean; custom_branch_policies: boolean } | null;
  policies: { id: number; name: string; type: 'branch' | 'tag' }[];
}

export interface FakeState {
  oidc: { use_default: boolean; include_claim_keys?: string[] };
  protection: Record<string, Record<string, unknown> | undefined>;
  environments: Record<string, FakeEnvironment>;
  teams: Record<string, number>;
  users: Record<string, number>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body?: unknown;
}

export interface FakeGitHub {
  url: string;
  state: FakeState;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts the stand-in for repository `repo`, accepting only `token`. */
export async function startFakeGitHub(repo: string, token: string): Promise<FakeGitHub> {
  const state: FakeState = {
    oidc: { use_default: true },
    protection: {},
    environments: {},
    teams: { platform: 4242 },
    users: { octocat: 583231 },
  };
  const requests: RecordedRequest[] = [];
  let nextPolicyId = 1;
  const slugOf = (id: number) => Object.entries(state.teams).find(([, v]) => v === id)?.[0];
  const loginOf = (id: number) => Object.entries(state.users).find(([, v]) => v === id)?.[0];

  const environmentJson = (name: string, env: FakeEnvironment) => ({
    name,
    can_admins_bypass: env.can_admins_bypass,
    deployment_branch_policy: env.deployment_branch_policy,
    protection_rules: [
      ...(env.reviewers.length
        ? [
            {
              type: 'required_reviewers',
              prevent_self_review: env.prevent_self_review,
              reviewers: env.reviewers.map((r) => ({
                type: r.type,
                reviewer:
                  r.type === 'Team'
                    ? { id: r.id, slug: slugOf(r.id) }
                    : { id: r.id, login: loginOf(r.id) },
              })),
            },
          ]
        : []),
      ...(env.deployment_branch_policy ? [{ type: 'branch_policy' }] : []),
    ],
  });

  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const method = req.method ?? 'GET';
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
      requests.push({ method, path: url.pathname + url.search, ...(body ? { body } : {}) });
      const send = (status: number, json?: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(json === undefined ? '' : JSON.stringify(json));
      };
      if (req.headers.authorization !== `Bearer ${token}`)
        return send(401, { message: 'Bad credentials' });

      const p = url.pathname;
      const base = `/repos/${repo}`;
      let m: RegExpExecArray | null;
      if (p === `${base}/actions/oidc/customization/sub`) {
        if (method === 'GET') return send(200, state.oidc);
        state.oidc = {
          use_default: Boolean(body?.use_default),
          include_claim_keys: body?.include_claim_keys as string[],
        };
        return send(201, {});
      }
      if ((m = new RegExp(`^${base}/branches/([^/]+)/protection$`).exec(p))) {
        const branch = decodeURIComponent(m[1] as string);
        if (method === 'GET') {
          const prot = state.protection[branch];
          return prot ? send(200, prot) : send(404, { message: 'Branch not protected' });
        }
        const checks = body?.required_status_checks as {
          strict: boolean;
          contexts: string[];
        } | null;
        state.protection[branch] = {
          required_status_checks: checks,
          enforce_admins: { enabled: Boolean(body?.enforce_admins) },
          required_pull_request_reviews: body?.required_pull_request_reviews,
        };
        return send(200, state.protection[branch]);
      }
      if (
        (m = new RegExp(
          `^${base}/environments/([^/]+)/deployment-branch-policies(?:/(\\d+))?$`,
        ).exec(p))
      ) {
        const env = state.environments[decodeURIComponent(m[1] as string)];
        if (!env) return send(404, { message: 'Not Found' });
        if (method === 'GET')
          return send(200, { total_count: env.policies.length, branch_policies: env.policies });
        if (method === 'DELETE') {
          env.policies = env.policies.filter((x) => x.id !== Number(m?.[2]));
          return send(204);
        }
        if (!env.deployment_branch_policy?.custom_branch_policies)
          return send(404, {
            message: 'Custom branch policies are not enabled for this environment',
          });
        const policy = {
          id: nextPolicyId++,
          name: String(body?.name),
          type: (body?.type as 'branch' | 'tag') ?? 'branch',
        };
        env.policies.push(policy);
        return send(200, policy);
      }
      if ((m = new RegExp(`^${base}/environments/([^/]+)$`).exec(p))) {
        const name = decodeURIComponent(m[1] as string);
        if (method === 'GET') {
          const env = state.environments[name];
          return env ? send(200, environmentJson(name, env)) : send(404, { message: 'Not Found' });
        }
        const previous = state.environments[name];
        const policy =
          (body?.deployment_branch_policy as FakeEnvironment['deployment_branch_policy']) ?? null;
        state.environments[name] = {
          can_admins_bypass:
            body?.can_admins_bypass === undefined ? true : Boolean(body.can_admins_bypass),
          prevent_self_review: Boolean(body?.prevent_self_review),
          reviewers: (body?.reviewers as FakeEnvironment['reviewers']) ?? [],
          deployment_branch_policy: policy,
          policies: policy?.custom_branch_policies ? (previous?.policies ?? []) : [],
        };
        return send(200, environmentJson(name, state.environments[name] as FakeEnvironment));
      }
      if ((m = /^\/orgs\/[^/]+\/teams\/([^/]+)$/.exec(p))) {
        const id = state.teams[decodeURIComponent(m[1] as string)];
        return id ? send(200, { id, slug: m[1] }) : send(404, { message: 'Not Found' });
      }
      if ((m = /^\/users\/([^/]+)$/.exec(p))) {
        const id = state.users[decodeURIComponent(m[1] as string)];
        return id ? send(200, { id, login: m[1] }) : send(404, { message: 'Not Found' });
      }
      return send(404, { message: `the fake does not serve ${method} ${p}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    requests,
    close: () => new Promise((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
