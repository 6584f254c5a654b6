/** Jest projects: unit specs beside the code, end-to-end specs in test/. */
const swc = ['@swc/jest', { swcrc: true }];
const moduleNameMapper = {
  '^nestjs-sms$': '<rootDir>/libs/sms/src',
  '^nestjs-sms/(.*)$': '<rootDir>/libs/sms/src/$1',
};
const common = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
