/** Jest projects: unit specs beside the code, end-to-end specs in test/. */
const swc = ['@swc/jest', { swcrc: true }];
/**
 * Packages published as ES modules only (the proxy agents, and the `proxy` server of the egress
 * tests): Node 20 `require`s them natively, Jest's module system does not, so they are compiled to
 * CommonJS like the sources.
 */
const ESM_PACKAGES = [
  'agent-base',
  'http-proxy-agent',
  'https-proxy-agent',
  'proxy',
  'proxy-agent-negotiate',
];
const esm = [
  '@swc/jest',
  { swcrc: false, jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];
const moduleNameMapper = {
  '^nestjs-sms$': '<rootDir>/libs/sms/src',
  '^nestjs-sms/(.*)$': '<rootDir>/libs/sms/src/$1',
  // `proxy` reads its package.json through `import.meta.url`, which CommonJS has not.
  '^\\./pkg\\.js$': '<rootDir>/node_modules/proxy/package.json',
};
const common = {
  rootDir: __dirname,
  transform: {
    '^.+\\.ts$': swc,
    [`/node_modules/(${ESM_PACKAGES.join('|')})/.+\\.js$`]: esm,
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
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
