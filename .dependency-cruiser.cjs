// The layout's rules, checked by dependency-cruiser in `npm test` (test/layout/dependency-rules.test.ts):
// lib/ is the library and stands alone; the application (topologies/) uses it only through the
// entry files a package user has; the public contracts (api/) do not reach into internals.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'lib-stands-alone',
      comment: 'lib/ is the library: it imports nothing from the application, benchmarks, tests or scripts.',
      severity: 'error',
      from: { path: '^lib/' },
      to: { path: '^(topologies|bench|test|scripts|data)/' },
    },
    {
      name: 'app-uses-public-entries',
      comment: 'topologies/ is written against the package surface: lib/index.ts and lib/<area>/index.ts.',
      severity: 'error',
      from: { path: '^topologies/' },
      to: { path: '^lib/', pathNot: '^lib/(index\\.ts|(testing|broker|models|query)/index\\.ts)$' },
    },
    {
      name: 'api-not-internal',
      comment: 'The contracts under lib/**/api/ do not depend on implementation internals.',
      severity: 'error',
      from: { path: '^lib/.+/api/' },
      to: { path: '/internal/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|test/jpmml/target)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs', '.json'] },
  },
};
