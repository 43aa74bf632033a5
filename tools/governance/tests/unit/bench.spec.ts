import { generateLargePlan } from '../../src/bench';
import { scan } from '../../src/engine';

describe('generateLargePlan', () => {
  it('produces a scannable plan with the requested number of resources', async () => {
    const plan = generateLargePlan(80);

    const result = await scan({ planObjects: [{ file: 'bench.json', plan }] });

    expect(result.resourceCount).toBe(80);
    expect(result.blastRadius.bench.create).toBe(80);
  });
});
