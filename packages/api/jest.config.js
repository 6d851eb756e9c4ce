/**
 * Test tiers: *.test.ts (in-process), *.int.test.ts (real PostgreSQL and local servers).
 * One PostgreSQL serves the whole run (embedded, or DATABASE_URL); every test file gets its own database.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.json' }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60000,
};
