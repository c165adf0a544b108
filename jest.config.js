const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.test.json' }],
  },
};

/** @type {import('jest').Config} */
export default {
  testTimeout: 60000,
  // Kept in the project, so a test run leaves nothing in /tmp.
  cacheDirectory: '<rootDir>/.tmp/jest-cache',
  collectCoverageFrom: ['src/**/*.ts', '!src/providers/github/permission-list.ts', '!src/entries/**'],
  coverageThreshold: { global: { lines: 90, branches: 90 } },
  coverageReporters: ['text-summary', 'json-summary'],
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
      testPathIgnorePatterns: ['/__tests__/e2e/', '/__tests__/emulators/'],
    },
    { ...shared, displayName: 'emulators', testMatch: ['<rootDir>/__tests__/emulators/**/*.test.ts'] },
    { ...shared, displayName: 'e2e', testMatch: ['<rootDir>/__tests__/e2e/**/*.test.ts'] },
  ],
};
