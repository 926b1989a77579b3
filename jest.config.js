// Tests are compiled by `npm run build` (tsc) and run from dist/, the same JavaScript the CLI runs.
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/dist/unit_tests', '<rootDir>/dist/integration_tests'],
  testMatch: ['**/*.test.js'],
  testTimeout: 60000,
  maxWorkers: 2,
};
