module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  // Resolves relative TypeScript imports, without which import/no-cycle sees nothing.
  settings: { 'import/resolver': { node: { extensions: ['.ts', '.tsx'] } } },
  rules: { 'import/no-cycle': 'error' },
});
