import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { projectTsconfigs } from '../../src/typecheck-all';

const REPO = join(__dirname, '../../../..');

/**
 * The tsconfig every `typecheck` target checks: `tsc -p <file>` of a project.json, or the Nx
 * plugin's inferred one (`tsc -p apps/<name>/tsconfig.json`) for a Lambda.
 */
function typecheckTargets(): string[] {
  const files: string[] = [];
  for (const folder of ['apps', 'libs', 'tools', 'terraform']) {
    for (const name of readdirSync(join(REPO, folder))) {
      const dir = join(REPO, folder, name);
      const projectJson = join(dir, 'project.json');
      if (existsSync(join(dir, 'lambda.manifest.json'))) {
        files.push(`${folder}/${name}/tsconfig.json`);
        continue;
      }
      if (!existsSync(projectJson)) continue;
      const command = JSON.parse(readFileSync(projectJson, 'utf8')).targets?.typecheck?.options
        ?.command as string | undefined;
      const match = command?.match(/^tsc -p (\S+) --noEmit$/);
      if (match) files.push(match[1]!);
    }
  }
  return files.sort();
}

describe('typecheck-all (npm test checks every project as one program)', () => {
  it("covers exactly the tsconfig files the projects' typecheck targets check", () => {
    // Act
    const covered = projectTsconfigs(REPO).map((f) => relative(REPO, f));

    // Assess: a project with a typecheck target the one program missed would go unchecked.
    expect(covered).toEqual(typecheckTargets());
    expect(covered).toContain('apps/jobs-welcome-email/tsconfig.json');
    expect(covered).toContain('terraform/stacks/tsconfig.json');
  });
});
