/**
 * The house rules for GitHub Actions workflows that actionlint does not check (STYLE.md, "Habits").
 *
 * actionlint answers "will GitHub accept and run this file?"; these rules answer "is it as
 * safe as we want it?":
 * - `permissions-default`: the workflow sets top-level `permissions`, and to `{}` or read-only
 *   scopes. Without it the token gets the repository default, which may be read-write
 *   (https://docs.github.com/en/actions/security-for-github-actions/security-guides/automatic-token-authentication#modifying-the-permissions-for-the-github_token).
 * - `pinned-action`: every external action or reusable workflow is pinned to a full 40-hex
 *   commit SHA followed on the same line by a `# vX.Y.Z` comment. Tags can be moved by whoever
 *   controls the action's repository; a SHA cannot
 *   (https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions).
 *   The comment is what reviewers and Dependabot read.
 * - `job-timeout`: every job that runs steps sets `timeout-minutes` (the default is 360 minutes
 *   of billed, blocked runner). A job that calls a reusable workflow cannot set it: the called
 *   workflow's jobs carry it, and they are checked in their own file.
 * - `no-pr-target-head-checkout`: a workflow triggered by `pull_request_target` or `workflow_run`
 *   runs with the base repository's secrets and a write token; checking out the pull request's
 *   head there (`github.event.pull_request.head.*`, `github.head_ref`,
 *   `github.event.workflow_run.head_*`) runs untrusted code with them ("pwn request",
 *   https://securitylab.github.com/resources/github-actions-preventing-pwn-requests/).
 * - `oidc-not-keys`: AWS is reached with OIDC, never with long-lived keys: no
 *   `aws-access-key-id` / `aws-secret-access-key` inputs, no `AWS_ACCESS_KEY_ID` /
 *   `AWS_SECRET_ACCESS_KEY` environment variables from secrets; every
 *   `aws-actions/configure-aws-credentials` step sets `role-to-assume`, and its job grants
 *   `id-token: write` (https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services).
 */
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type YAMLMap,
} from 'yaml';

/** Identifier of a policy rule. */
export type PolicyRuleId =
  | 'parse'
  | 'permissions-default'
  | 'pinned-action'
  | 'job-timeout'
  | 'no-pr-target-head-checkout'
  | 'oidc-not-keys';

/** One breach of a policy rule, located and explained. */
export interface PolicyFinding {
  /** The rule broken. */
  rule: PolicyRuleId;
  /** The workflow file, as given to {@link checkWorkflowPolicy}. */
  file: string;
  /** 1-based line of the offending node (1 when the whole file is at fault). */
  line: number;
  /** Where in the workflow: `permissions`, `jobs.checks`, `jobs.checks.steps[2].uses`. */
  path: string;
  /** What is wrong and what to do about it. */
  message: string;
}

/** `owner/repo[/path]@<40 hex>`: an action or reusable workflow pinned by commit SHA. */
const PINNED_REF = /^[\w.-]+\/[\w.-]+(?:\/[^@\s]+)?@[0-9a-f]{40}$/;
/** The version comment that must follow a pinned ref on the same line: `# v1`, `# v4.2.2`. */
const VERSION_COMMENT = /^\s+#\s*v\d+(?:\.\d+){0,2}\b/;
/** `docker://image@sha256:<64 hex>`: a container action pinned by digest. */
const PINNED_DOCKER = /^docker:\/\/[^@\s]+@sha256:[0-9a-f]{64}$/;
/** Values a `permissions` scope may take at workflow level. */
const READ_ONLY_LEVELS = new Set(['read', 'none']);
/** Triggers that run with the base repository's secrets for code a pull request controls. */
const PRIVILEGED_TRIGGERS = ['pull_request_target', 'workflow_run'];
/** Expressions that name the pull request's (or triggering run's) head: untrusted code. */
const HEAD_REF =
  /github\.event\.pull_request\.head\.|github\.head_ref|github\.event\.workflow_run\.head_(?:sha|branch|repository)/;
/** Shell commands that would fetch or check out such a ref. */
const GIT_CHECKOUT = /\b(?:git\s+(?:checkout|fetch|switch|worktree|pull)|gh\s+pr\s+checkout)\b/;
/** Long-lived AWS key inputs of configure-aws-credentials (and look-alikes). */
const KEY_INPUTS = ['aws-access-key-id', 'aws-secret-access-key'];
/** Long-lived AWS key environment variables. */
const KEY_ENV = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'];
/** The action that exchanges the OIDC token for role credentials. */
const CONFIGURE_AWS = 'aws-actions/configure-aws-credentials';

/**
 * Checks one workflow's source against the house rules.
 *
 * @param source - the workflow YAML, as read from disk
 * @param file - the name to report findings under (e.g. `.github/workflows/ci.yml`)
 * @returns every finding, in file order; empty when the workflow follows the rules
 * @example
 * const findings = checkWorkflowPolicy(readFileSync(path, 'utf8'), path);
 * if (findings.length) console.error(findings.map(formatFinding).join('\n'));
 */
export function checkWorkflowPolicy(source: string, file: string): PolicyFinding[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter });
  const lineOf = (node: Node | null | undefined): number =>
    node?.range ? lineCounter.linePos(node.range[0]).line : 1;

  if (doc.errors.length > 0) {
    return doc.errors.map((error) => ({
      rule: 'parse' as const,
      file,
      line: error.linePos?.[0].line ?? 1,
      path: '',
      message: `Not valid YAML: ${error.message}. Fix the syntax first; no other rule can be checked.`,
    }));
  }
  if (!isMap(doc.contents)) {
    return [
      {
        rule: 'parse',
        file,
        line: 1,
        path: '',
        message: 'A workflow must be a YAML mapping (name, on, permissions, jobs).',
      },
    ];
  }

  const findings: PolicyFinding[] = [];
  const add = (rule: PolicyRuleId, node: Node | null | undefined, path: string, message: string) =>
    findings.push({ rule, file, line: lineOf(node), path, message });

  checkTopLevelPermissions(doc, add);
  checkKeyEnv(doc.get('env', true), 'env', add);
  const privilegedTrigger = triggersOf(doc).find((t) => PRIVILEGED_TRIGGERS.includes(t));

  const jobs = doc.get('jobs', true);
  if (isMap(jobs)) {
    for (const pair of jobs.items) {
      const jobId = String(isScalar(pair.key) ? pair.key.value : pair.key);
      const job = pair.value;
      if (!isMap(job)) continue;
      const jobPath = `jobs.${jobId}`;
      const reusableCall = job.get('uses', true);

      if (reusableCall !== undefined) {
        checkUsesRef(reusableCall, `${jobPath}.uses`, source, add);
      } else if (!job.has('timeout-minutes')) {
        add(
          'job-timeout',
          pair.key as Node,
          jobPath,
          `Job "${jobId}" has no timeout-minutes: a hung step would hold a runner for 6 hours. Set timeout-minutes to a few times its usual duration.`,
        );
      }

      checkKeyEnv(job.get('env', true), `${jobPath}.env`, add);
      const steps = job.get('steps', true);
      if (isSeq(steps)) {
        steps.items.forEach((step, index) => {
          if (!isMap(step)) return;
          const stepPath = `${jobPath}.steps[${index}]`;
          const uses = step.get('uses', true);
          if (uses !== undefined) checkUsesRef(uses, `${stepPath}.uses`, source, add);
          checkKeyEnv(step.get('env', true), `${stepPath}.env`, add);
          checkStepCredentials(step, stepPath, job, jobId, add);
          if (privilegedTrigger) checkHeadCheckout(step, stepPath, privilegedTrigger, add);
        });
      }
    }
  }
  return findings.sort((a, b) => a.line - b.line);
}

/**
 * Formats a finding as `file:line [rule] path: message`, the shape editors and CI logs link.
 *
 * @param finding - a finding from {@link checkWorkflowPolicy}
 * @returns one line of text
 */
export function formatFinding(finding: PolicyFinding): string {
  const where = finding.path ? ` ${finding.path}:` : '';
  return `${finding.file}:${finding.line} [${finding.rule}]${where} ${finding.message}`;
}

type AddFinding = (
  rule: PolicyRuleId,
  node: Node | null | undefined,
  path: string,
  message: string,
) => void;

const scalarText = (node: unknown): string =>
  isScalar(node) ? String(node.value) : node === undefined || node === null ? '' : String(node);

/** Event names of `on`, whether written as a string, a list or a mapping. */
function triggersOf(doc: Document): string[] {
  const on = doc.get('on', true);
  if (isMap(on)) return on.items.map((pair) => scalarText(pair.key));
  if (isSeq(on)) return on.items.map(scalarText);
  return on === undefined ? [] : [scalarText(on)];
}

/** `no-pr-target-head-checkout`: a checkout (action or shell) of the untrusted head. */
function checkHeadCheckout(step: YAMLMap, path: string, trigger: string, add: AddFinding): void {
  const uses = scalarText(step.get('uses', true));
  const withMap = step.get('with', true);
  if (uses.startsWith('actions/checkout@') && isMap(withMap)) {
    for (const key of ['ref', 'repository']) {
      const value = withMap.get(key, true);
      if (HEAD_REF.test(scalarText(value)))
        add(
          'no-pr-target-head-checkout',
          value as Node,
          `${path}.with.${key}`,
          `This workflow runs on ${trigger}, with the base repository's secrets and token, and checks out the pull request's head (${scalarText(value)}): any code in the pull request then runs with them. Check out the base (the default), or move the work to a pull_request workflow and pass results through an artifact.`,
        );
    }
  }
  const run = step.get('run', true);
  const script = scalarText(run);
  if (HEAD_REF.test(script) && GIT_CHECKOUT.test(script))
    add(
      'no-pr-target-head-checkout',
      run as Node,
      `${path}.run`,
      `This workflow runs on ${trigger}, with the base repository's secrets and token, and its script fetches or checks out the pull request's head: any code in the pull request then runs with them. Do that work in a pull_request workflow instead.`,
    );
}

/** `oidc-not-keys`: AWS key variables set from secrets in an `env` mapping. */
function checkKeyEnv(env: unknown, path: string, add: AddFinding): void {
  if (!isMap(env)) return;
  for (const pair of env.items) {
    const name = scalarText(pair.key);
    if (KEY_ENV.includes(name) && /\bsecrets\./.test(scalarText(pair.value)))
      add(
        'oidc-not-keys',
        pair.key as Node,
        `${path}.${name}`,
        `${name} comes from a repository secret: a long-lived AWS key that works from anywhere until someone rotates it. Use aws-actions/configure-aws-credentials with role-to-assume (OIDC) and grant the job id-token: write.`,
      );
  }
}

/** `oidc-not-keys`: key inputs on any step; role-to-assume and id-token: write for configure-aws-credentials. */
function checkStepCredentials(
  step: YAMLMap,
  path: string,
  job: YAMLMap,
  jobId: string,
  add: AddFinding,
): void {
  const withMap = step.get('with', true);
  if (isMap(withMap))
    for (const key of KEY_INPUTS)
      if (withMap.has(key))
        add(
          'oidc-not-keys',
          withMap.get(key, true) as Node,
          `${path}.with.${key}`,
          `"${key}" passes a long-lived AWS key. Remove it, set role-to-assume to the role for this environment and grant the job id-token: write, so the job gets short-lived credentials through OIDC.`,
        );
  const uses = step.get('uses', true);
  if (!scalarText(uses).startsWith(`${CONFIGURE_AWS}@`)) return;
  if (!isMap(withMap) || scalarText(withMap.get('role-to-assume', true)).trim() === '')
    add(
      'oidc-not-keys',
      uses as Node,
      `${path}.with.role-to-assume`,
      `${CONFIGURE_AWS} without role-to-assume falls back to keys or the runner's own credentials. Set role-to-assume (e.g. \${{ vars.DEPLOY_ROLE_ARN_DEV }}).`,
    );
  const permissions = job.get('permissions', true);
  const idToken = isMap(permissions) ? scalarText(permissions.get('id-token', true)) : '';
  if (idToken !== 'write')
    add(
      'oidc-not-keys',
      uses as Node,
      `jobs.${jobId}.permissions.id-token`,
      `Job "${jobId}" assumes an AWS role but does not grant "id-token: write": without it GitHub issues no OIDC token and the step fails. Add it to this job's permissions (only this job's).`,
    );
}

function checkTopLevelPermissions(doc: Document, add: AddFinding): void {
  if (!doc.has('permissions')) {
    add(
      'permissions-default',
      doc.contents as Node,
      'permissions',
      'No top-level permissions: the token gets the repository default. Add `permissions: {}` and grant each job only the scopes it needs.',
    );
    return;
  }
  const permissions = doc.get('permissions', true) as Node;
  if (isMap(permissions)) {
    for (const pair of permissions.items) {
      const level = isScalar(pair.value) ? String(pair.value.value) : String(pair.value);
      if (!READ_ONLY_LEVELS.has(level)) {
        const scope = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        add(
          'permissions-default',
          pair.key as Node,
          `permissions.${scope}`,
          `Top-level permissions grant "${scope}: ${level}" to every job. Keep the default read-only (ideally \`permissions: {}\`) and grant "${scope}: ${level}" on the job that needs it.`,
        );
      }
    }
    return;
  }
  const value = isScalar(permissions) ? String(permissions.value) : String(permissions);
  add(
    'permissions-default',
    permissions,
    'permissions',
    `Top-level \`permissions: ${value}\` is not allowed. Use \`permissions: {}\` and grant each job only the scopes it needs.`,
  );
}

function checkUsesRef(node: unknown, path: string, source: string, add: AddFinding): void {
  if (!isScalar(node) || typeof node.value !== 'string') {
    add(
      'pinned-action',
      node as Node,
      path,
      '`uses` must be a string: owner/repo@<sha> # vX.Y.Z, ./local/path or docker://image@sha256:<digest>.',
    );
    return;
  }
  const ref = node.value.trim();
  // Local actions and reusable workflows are reviewed with the change that edits them.
  if (ref.startsWith('./')) return;
  if (ref.startsWith('docker://')) {
    if (!PINNED_DOCKER.test(ref)) {
      add(
        'pinned-action',
        node,
        path,
        `"${ref}" is not pinned: use docker://image@sha256:<digest> so the image cannot change under the workflow.`,
      );
    }
    return;
  }
  if (!PINNED_REF.test(ref)) {
    add(
      'pinned-action',
      node,
      path,
      `"${ref}" is not pinned to a full commit SHA: a tag or branch can be moved to other code. Use ${ref.split('@')[0]}@<40-hex commit of the release> # vX.Y.Z, and record it in .github/ACTIONS.md.`,
    );
    return;
  }
  // The version comment is what a reviewer reads: it must sit on the same line, after the ref.
  const end = node.range?.[1] ?? 0;
  const lineEnd = source.indexOf('\n', end);
  const rest = source.slice(end, lineEnd === -1 ? undefined : lineEnd);
  if (!VERSION_COMMENT.test(rest)) {
    add(
      'pinned-action',
      node,
      path,
      `"${ref}" is pinned but has no version comment: add "# vX.Y.Z" after it on the same line so reviewers and Dependabot can tell which release it is.`,
    );
  }
}
