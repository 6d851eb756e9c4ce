/**
 * Test tiers: *.test.ts run in-process (jsdom: rules, reorder logic, components);
 * *.e2e.test.ts drive headless Chromium against the built API and panel.
 */
import { fileURLToPath } from 'node:url';

const tsJest = ['ts-jest', { tsconfig: '<rootDir>/tsconfig.test.json' }];

export default {
  projects: [
    {
      displayName: 'component',
      testEnvironment: 'jsdom',
      // Load the CommonJS builds of vue, vue-i18n and friends, as jest runs CommonJS.
      testEnvironmentOptions: { customExportConditions: ['node', 'require', 'default'] },
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.test.ts'],
      testPathIgnorePatterns: ['\\.e2e\\.test\\.ts$'],
      moduleFileExtensions: ['ts', 'js', 'json', 'vue'],
      transform: {
        '^.+\\.ts$': tsJest,
        '^.+\\.vue$': '@vue/vue3-jest',
      },
      globals: { 'vue-jest': { tsConfig: fileURLToPath(new URL('./tsconfig.test.json', import.meta.url)) } },
    },
    {
      displayName: 'e2e',
      testEnvironment: 'node',
      roots: ['<rootDir>/test'],
      testMatch: ['**/*.e2e.test.ts'],
      transform: { '^.+\\.ts$': tsJest },
    },
  ],
};
