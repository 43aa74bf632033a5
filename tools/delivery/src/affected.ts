/**
 * Which Terraform stacks a change needs to plan and apply: a pure function over what git and
 * the Nx project graph say, so every rule is unit-tested without a repository.
 *
 * Rules, in order:
 * 1. Changed files that are documentation (`*.md`) or tests (any `tests/` folder, `*.spec.*`,
 *    `*.test.*`) never change a plan. When every changed file is one of those, nothing is planned.
 * 2. A deploying change under `terraform/stacks/` (the CDK Terrain program, environments.json, ...) or
 *    one of the workspace-root files that pin provider and toolchain versions (package.json,
 *    package-lock.json, nx.json, tsconfig.base.json, .nvmrc) → every stack.
 * 3. A changed Terraform module (a file under `terraform/modules/`; modules only call modules, so
 *    a file there is also how a transitive change shows) → every stack. Deliberately coarse: which domain instantiates which
 *    module is decided by the stacks program at synth time, and planning a stack that does not
 *    use the module is a no-op plan, while missing one would ship an untested change.
 * 4. An affected Lambda project (Nx propagates lib → app) → the stack of its domain (at head, and
 *    at base too when its manifest moved it to another domain).
 * 5. A Lambda whose manifest existed at base but not at head (deleted) → its domain's stack, which
 *    must drop its resources. A domain left with no stack at head is not listed: removing a whole
 *    stack is a destroy, not a plan.
 *
 * The CLI asks Nx only about the files that matter (not docs, tests or a deleted Lambda's files):
 * Nx marks every project affected when a project is deleted, which would plan every domain.
 */
import { UnknownEnvironmentError } from './errors';

/** Lambda project name → the `domain` of its `lambda.manifest.json`. */
export type LambdaDomains = Readonly<Record<string, string>>;

/** Everything {@link affectedStacks} decides from; the CLI gathers it from git and Nx. */
export interface AffectedInput {
  /** Repository-relative paths from `git diff --name-only <base> <head>` (deleted files included). */
  changedFiles: readonly string[];
  /** Names from `nx show projects --affected --files <files to ask Nx about>` (see {@link filesForNx}). */
  affectedProjects: readonly string[];
  /** Lambda → domain at head. */
  lambdasAtHead: LambdaDomains;
  /** Lambda → domain at base (finds deleted Lambdas and moved domains). */
  lambdasAtBase: LambdaDomains;
  /** Domains declared by terraform/stacks/src/domains (DOMAINS keys), whether or not they have Lambdas. */
  domains: readonly string[];
  /** Environments declared in terraform/stacks/environments.json, in file order. */
  knownEnvironments: readonly string[];
  /** Environments to plan (`--environments`); defaults to all known ones. */
  environments?: readonly string[];
}

/** One GitHub Actions matrix entry: a stack of one domain in one environment. */
export interface StackEntry {
  /** `<domain>-<environment>`, the CDK Terrain stack id. */
  stack: string;
  domain: string;
  environment: string;
}

/** GitHub Actions matrix (`strategy.matrix: ${{ fromJSON(...) }}`). */
export interface StackMatrix {
  include: StackEntry[];
}

/** Files whose changes never change a Terraform plan: documentation and tests. */
export function isDocsOrTests(file: string): boolean {
  const segments = file.split('/');
  const name = segments[segments.length - 1] ?? '';
  return (
    name.toLowerCase().endsWith('.md') ||
    segments.slice(0, -1).includes('tests') ||
    /\.(spec|test)\.[cm]?[jt]sx?$/.test(name)
  );
}

/**
 * The changed files worth asking Nx which projects they affect: not docs or tests, and not the
 * files of a Lambda deleted between base and head (rule 5 plans its domain; given to Nx, a
 * deleted project makes every project affected).
 */
export function filesForNx(
  changedFiles: readonly string[],
  lambdasAtHead: LambdaDomains,
  lambdasAtBase: LambdaDomains,
): string[] {
  const deleted = Object.keys(lambdasAtBase)
    .filter((lambda) => !(lambda in lambdasAtHead))
    .map((lambda) => `apps/${lambda}/`);
  return changedFiles.filter(
    (file) => !isDocsOrTests(file) && !deleted.some((folder) => file.startsWith(folder)),
  );
}

/** Workspace-root files that pin providers and toolchains every stack is built with. */
const STACK_WIDE_ROOT_FILES = [
  'package.json',
  'package-lock.json',
  'nx.json',
  'tsconfig.base.json',
  '.nvmrc',
];

/** Files whose change affects every stack (rule 2 of {@link affectedStacks}). */
function isStackWide(file: string): boolean {
  return file.startsWith('terraform/stacks/') || STACK_WIDE_ROOT_FILES.includes(file);
}

/**
 * The stacks to plan for a change, sorted by stack name, one entry per stack × environment.
 *
 * @throws {UnknownEnvironmentError} when `environments` names one not in `knownEnvironments`.
 * @example
 * affectedStacks({
 *   changedFiles: ['apps/media-probe/src/handler.ts'],
 *   affectedProjects: ['media-probe'],
 *   lambdasAtHead: { 'media-probe': 'media' },
 *   lambdasAtBase: { 'media-probe': 'media' },
 *   domains: ['platform', 'media'],
 *   knownEnvironments: ['dev', 'prod'],
 *   environments: ['dev'],
 * }); // { include: [{ stack: 'media-dev', domain: 'media', environment: 'dev' }] }
 */
export function affectedStacks(input: AffectedInput): StackMatrix {
  const environments = selectEnvironments(input.knownEnvironments, input.environments);
  const relevant = input.changedFiles.filter((file) => !isDocsOrTests(file));
  if (relevant.length === 0) return { include: [] };

  // Rule 5's caveat: only domains that still have a stack at head can be planned.
  const stackDomains = new Set([...input.domains, ...Object.values(input.lambdasAtHead)]);
  const selected = new Set<string>();

  if (relevant.some((file) => isStackWide(file) || file.startsWith('terraform/modules/'))) {
    for (const domain of stackDomains) selected.add(domain);
  }

  for (const project of input.affectedProjects) {
    const head = input.lambdasAtHead[project];
    if (head === undefined) continue;
    selected.add(head);
    const base = input.lambdasAtBase[project];
    if (base !== undefined) selected.add(base);
  }

  for (const [lambda, domain] of Object.entries(input.lambdasAtBase)) {
    if (!(lambda in input.lambdasAtHead)) selected.add(domain);
  }

  const include: StackEntry[] = [];
  for (const domain of selected) {
    if (!stackDomains.has(domain)) continue;
    for (const environment of environments)
      include.push({ stack: `${domain}-${environment}`, domain, environment });
  }
  include.sort((a, b) => (a.stack < b.stack ? -1 : a.stack > b.stack ? 1 : 0));
  return { include };
}

/** `requested` checked against `known` (all of `known` when not given). */
function selectEnvironments(
  known: readonly string[],
  requested: readonly string[] | undefined,
): readonly string[] {
  if (requested === undefined) return known;
  for (const environment of requested)
    if (!known.includes(environment)) throw new UnknownEnvironmentError(environment, known);
  return [...new Set(requested)];
}
