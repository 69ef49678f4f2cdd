import { createFrontendPlugin } from '@backstage/frontend-plugin-api';

/** Registered now so the app wires it in; the Mesh tab and overview page come next. */
export default createFrontendPlugin({
  pluginId: 'istio-mesh',
  extensions: [],
});
