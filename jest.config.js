/** ESM TypeScript under jest: @swc/jest transforms, Node's VM modules run ESM (see docs/toolchain.md). */
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/src', '<rootDir>/test'],
  testMatch: ['**/test/**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
        module: { type: 'es6' },
      },
    ],
  },
  coverageProvider: 'v8',
  testTimeout: 15000,
  // Most test time is waiting on loopback servers, not CPU: more workers than cores keeps both cores busy
  // (jest's default on 2 cores is one worker, one file at a time).
  maxWorkers: 4,
};
