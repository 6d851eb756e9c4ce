import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import pluginVue from 'eslint-plugin-vue';
import vueParser from 'vue-eslint-parser';

// The panel's single-file components. Every one is `<script setup lang="ts">`.
const vueFiles = ['packages/admin/**/*.vue'];

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '**/.data/**',
      'bundle/**',
      'bundle.partial-*/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Vue 3 recommended rules, kept to the panel's components (the plugin's own blocks would reach every file).
  ...pluginVue.configs['flat/recommended'].map((config) => ({ ...config, files: vueFiles })),
  {
    files: vueFiles,
    languageOptions: {
      parser: vueParser,
      parserOptions: {
        parser: tseslint.parser,
        extraFileExtensions: ['.vue'],
        sourceType: 'module',
      },
    },
    rules: {
      // The script blocks are TypeScript: the same core rules step aside as for .ts files (vue-tsc checks them).
      ...tseslint.configs.eslintRecommended.rules,
      // Prettier formats the templates; the plugin's layout rules would fight it.
      ...pluginVue.configs['no-layout-rules'].rules,
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    // Tool configs (jest.config.js) are CommonJS.
    files: ['**/*.cjs', '**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
  },
);
