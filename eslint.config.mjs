// Root ESLint flat config. Nx module boundaries keep the architecture honest:
// - type:lambda may use type:lib; libs never import apps; tools may use libs.
// - dev code (sample generators, bench, sandbox and its MediaConvert stand-in) is type:tool,
//   which no type:lambda or type:lib may import: tools/ci's module-boundaries spec proves it.
// - a domain (scope:media, scope:etl, scope:edge, scope:jobs) may only use its own scope and scope:shared
//   (scope:edge also reads scope:media: see its line).
import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';
import prettier from 'eslint-config-prettier';

export default [
  {
    ignores: ['**/dist', '**/node_modules', '**/cdktf.out', '**/coverage', '**/.nx', '**/files/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    files: ['**/*.ts', '**/*.js', '**/*.mjs', '**/*.cjs'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: true,
          allow: [],
          depConstraints: [
            { sourceTag: 'type:lambda', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:stacks', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:lib', 'type:tool'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
            { sourceTag: 'scope:media', onlyDependOnLibsWithTags: ['scope:media', 'scope:shared'] },
            { sourceTag: 'scope:etl', onlyDependOnLibsWithTags: ['scope:etl', 'scope:shared'] },
            // The edge presigns uploads into the media flow under the media upload policy and key
            // layout (issue 13): it reads libs/media rather than restating either.
            {
              sourceTag: 'scope:edge',
              onlyDependOnLibsWithTags: ['scope:edge', 'scope:shared', 'scope:media'],
            },
            { sourceTag: 'scope:jobs', onlyDependOnLibsWithTags: ['scope:jobs', 'scope:shared'] },
            { sourceTag: 'scope:users', onlyDependOnLibsWithTags: ['scope:users', 'scope:shared'] },
            {
              sourceTag: 'scope:platform',
              onlyDependOnLibsWithTags: [
                'scope:platform',
                'scope:shared',
                'scope:media',
                'scope:etl',
              ],
            },
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // The named `z` export drags every zod locale into a bundle (+350 KB, issue 17).
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
          message:
            "Use `import * as z from 'zod'`: the named z export is a namespace esbuild cannot tree-shake (every locale lands in the Lambda bundle).",
        },
      ],
    },
  },
  {
    // Each project's eslint.config.mjs re-exports the root config by relative path on purpose.
    files: ['**/eslint.config.mjs', '**/jest.config.cjs'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
];
