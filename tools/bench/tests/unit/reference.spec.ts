import { describe, expect, it } from '@jest/globals';
import { lambdaBuildOptions, toEsbuildOptions } from '../../src/reference';

const paths = {
  workspaceRoot: '/ws',
  entry: '/ws/ref.ts',
  outfile: '/ws/out/handler.js',
  tsconfig: '/ws/tsconfig.json',
};

describe('toEsbuildOptions', () => {
  it('builds the reference with the options the Nx plugin gives every Lambda', () => {
    const options = toEsbuildOptions(lambdaBuildOptions(), paths);

    expect(options).toMatchObject({
      platform: 'node',
      target: 'node22',
      format: 'cjs',
      bundle: true,
      minify: true,
      sourcemap: 'external',
      mainFields: ['module', 'main'],
      legalComments: 'none',
      external: [],
      entryPoints: ['/ws/ref.ts'],
      outfile: '/ws/out/handler.js',
    });
    // outExtension only applies to outdir builds; esbuild would reject nothing but it must not leak in.
    expect(options).not.toHaveProperty('outExtension');
  });

  it('leaves every package external when thirdParty is off, as @nx/esbuild does', () => {
    const options = toEsbuildOptions({ format: ['cjs'], bundle: true, thirdParty: false }, paths);
    expect(options.packages).toBe('external');
    expect(options.external).toBeUndefined();
  });

  it('refuses more than one format', () => {
    expect(() => toEsbuildOptions({ format: ['cjs', 'esm'] }, paths)).toThrow(/one format/);
  });
});
