import { IstiodPorts } from './istiod/launch';

/**
 * Chart values the local clusters need, given through the same istioMesh chartValues
 * input users have. Istio's webhooks refer to the istiod Service, so the API server
 * would dial a ClusterIP, and nothing may dial one here; the local istiod serves them on
 * loopback instead (see istiod/supervisor.ts), under the URLs Istio's charts take for an
 * istiod outside the cluster:
 * - `istiodRemote.injectionURL`: the sidecar-injector webhooks, so pods the gateway chart
 *   creates are injected by istiod;
 * - `base.validationURL`: the validating webhooks of both charts;
 * - `ISTIOD_CUSTOM_HOST`: adds 127.0.0.1 to istiod's serving certificate, which the API
 *   server checks against the URL's host.
 */
export function harnessChartValues(ports: IstiodPorts) {
  const istiod = `https://127.0.0.1:${ports.https}`;
  return {
    base: { base: { validationURL: `${istiod}/validate` } },
    istiod: {
      base: { validationURL: `${istiod}/validate` },
      istiodRemote: { injectionURL: `${istiod}/inject` },
      pilot: { env: { ISTIOD_CUSTOM_HOST: '127.0.0.1' } },
    },
  };
}
