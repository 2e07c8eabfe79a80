// Few rules, all architectural: type-only imports, no console in services,
// the minio client only inside the storage module, node:http required, not imported,
// no unhandled promises and no import cycles in the code that runs. Formatting is prettier's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import solid from 'eslint-plugin-solid/configs/typescript';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      'frontend/dist/**',
      'test-results/**',
      'bench/results/**',
      'data/**',
      // Written by scripts/codegen.ts from the schema; `npm run check` keeps them up to date.
      '**/generated.ts',
      '**/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    plugins: { 'import-x': importX },
    rules: {
      // Workspaces share one node_modules: only what a workspace declares may be imported.
      'import-x/no-extraneous-dependencies': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['shared/src/**', 'subgraphs/*/src/**', 'supergraph/src/**'],
    rules: {
      'no-console': 'error',
      // An ES import of node:http (minio-js's ES build has one) loads undici: 12 MiB per service.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['node:http', 'http', 'minio'].map((name) => ({
            name,
            allowTypeImports: true,
            message: 'Types only: require it (see shared/src/nodeHttp.ts).',
          })),
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    // The storage driver, the benchmark's baselines (the plain client, on purpose outside
    // filegraph) and the tests' own client, which plays another tool using the bucket.
    ignores: [
      'subgraphs/files/src/storage/s3/**',
      'bench/src/DirectMinio.ts',
      'subgraphs/files/test/api/s3.ts',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'minio', message: 'Only subgraphs/files/src/storage/s3 may talk to S3.' },
          ],
        },
      ],
    },
  },
  {
    // The code that runs, tests excluded: there the rules flag every `describe`/`it`,
    // whose promises node:test handles itself. Issue 15.
    files: [
      'shared/src/**/*.ts',
      'subgraphs/*/src/**/*.ts',
      'supergraph/src/**/*.ts',
      'scripts/*.ts',
      'scripts/stack/**/*.ts',
      'cli/src/**/*.ts',
    ],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    settings: {
      'import-x/resolver-next': [createNodeResolver()],
      // import-x reads the imports of .js files only unless told otherwise.
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
    },
    rules: {
      // A promise nobody awaits loses its error (an unhandled rejection stops Node):
      // await it, handle it, or `void` it with a comment saying why it may run unattended.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // It skips `import type`: a type two modules share goes in its own module all the
      // same (subgraphs/health/src/checks/HealthReport.ts).
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // The web UI: Solid's rules (props stay reactive: never destructured), browser globals.
    files: ['frontend/**/*.{ts,tsx}'],
    ...solid,
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    rules: {
      ...solid.rules,
      // Solid's compiler assigns `let element; <div ref={element}>`; this rule cannot see that.
      'no-unassigned-vars': 'off',
    },
  },
  {
    files: ['frontend/src/**'],
    rules: { 'no-console': 'error' },
  },
);
