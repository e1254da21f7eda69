// Lint configuration: the recommended rules of ESLint and typescript-eslint, and the
// classic rules of hooks for the React app. `npm run lint` runs it; `npm test` fails on
// any problem, warnings included.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'test-results/', 'scratch/', '.wavegraph/', '.cache/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // `_name` marks a parameter kept for its position, or a key dropped from a copy.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // `a ? f() : g()` and `x && f()` as statements are this code base's idiom.
      '@typescript-eslint/no-unused-expressions': ['error', { allowShortCircuit: true, allowTernary: true }],
      // A best-effort read (localStorage, a cleanup that may fail) ends in `catch {}`.
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    // The two hook rules every React developer knows. The plugin's React Compiler rules
    // (refs, purity, set-state-in-effect...) are for code written for that compiler.
    files: ['src/app/**/*.{ts,tsx}', 'src/main.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // Tests and benchmarks reach into a page's untyped globals and raw protocol frames.
    files: ['tests/**', 'bench/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
