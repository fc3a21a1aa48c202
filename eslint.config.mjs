import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.vscode-test/**', 'test/fixtures/**/*.c'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/core never imports vscode' }] }],
      'no-restricted-syntax': ['error',
        { selector: "CallExpression[callee.name='setTimeout']", message: 'core is deterministic: use the sim scheduler' },
        { selector: "CallExpression[callee.object.name='Math'][callee.property.name='random']", message: 'use the seeded random source' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'use virtual time' }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly' } },
  },
);
