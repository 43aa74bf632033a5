/**
 * The repository's own infrastructure passes its own governance: every synthesized stack of
 * every environment under that environment's profile (prod: strict), with the committed waivers
 * and nothing else. (Modules, bootstrap and the dev plans are checked by the Nx `governance`
 * targets in `npm test`.)
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { scan } from '../../src/engine';

const REPO = path.join(__dirname, '../../../..');
const STACKS = path.join(REPO, 'terraform/stacks/cdktf.out/stacks');
const ENVIRONMENTS = ['dev', 'staging', 'prod'];

describe("the repository's synthesized stacks", () => {
  it.each(ENVIRONMENTS)('%s: no finding that is not waived', async (environment) => {
    // Prepare
    expect(existsSync(STACKS)).toBe(true);
    const stacks = readdirSync(STACKS).filter((s) => s.endsWith(`-${environment}`));
    expect(stacks.length).toBeGreaterThan(0);

    // Act
    const result = await scan({
      tfJson: stacks.map((s) => path.join(STACKS, s, 'cdk.tf.json')),
      environment,
      config: path.join(REPO, 'governance/config.yaml'),
      waivers: path.join(REPO, 'governance/waivers.yaml'),
    });

    // Assess
    expect(result.profile.name).toBe(environment === 'prod' ? 'strict' : 'baseline');
    expect(result.resourceCount).toBeGreaterThan(50);
    const open = result.findings.filter((f) => !f.waived);
    expect(open.map((f) => `${f.ruleId} ${f.address}: ${f.message}`)).toEqual([]);
    expect(result.warnings).toEqual([]);
  });
});
