// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.lfvaudit/', 'bench/data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js'] }, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Only bin/ may touch the process; everything else takes streams and returns exit codes.
      'no-restricted-properties': ['error', { object: 'process', property: 'exit', message: 'Return an exit code; only src/bin may exit.' }],
    },
  },
  {
    files: ['src/bin/**', 'bench/**', 'scripts/**', 'test/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
