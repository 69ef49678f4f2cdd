// The folders of src/, lowest layer first. A folder imports only from the folders
// before it, so folders form no cycle; import/no-cycle catches cycles between files.
const layers = [
  'progress',
  'mesh',
  'clusters',
  'kube',
  'istiod',
  'ca',
  'helm',
  'trust',
  'checks',
  'environment',
  'remoteSecrets',
  'status',
  'join',
  'rotation',
];
const zones = layers.map((folder, i) => ({
  target: `./src/${folder}`,
  from: layers.slice(i + 1).map(above => `./src/${above}`),
  message: `src/${folder} sits below these folders in .eslintrc.js's layers: importing from them would make a cycle between folders`,
}));

module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  // Resolves relative TypeScript imports, without which the import rules see nothing.
  settings: { 'import/resolver': { node: { extensions: ['.ts', '.tsx'] } } },
  rules: {
    'import/no-cycle': 'error',
    'import/no-restricted-paths': ['error', { basePath: __dirname, zones }],
  },
});
