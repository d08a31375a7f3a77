import type { Config } from 'jest';

/**
 * Jest configuration for mlgrade's own test-suite (`npm test`).
 * The grading suites under graders/ are *not* run from here directly: they are run by
 * `src/grading/jestRunner.ts` (compiled to dist/) against one submission at a time.
 */
const config: Config = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  // Suites import mlgrade's public modules by name, as a course's do.
  moduleNameMapper: {
    '^mlgrade$': '<rootDir>/src/index.ts',
    '^mlgrade/suite$': '<rootDir>/src/suite/index.ts',
    '^mlgrade/reference$': '<rootDir>/reference/index.ts',
  },
  // Sandboxed submissions run in child processes; a whole-class grading test takes a few seconds.
  testTimeout: 120_000,
  maxWorkers: 2,
};

export default config;
