/**
 * Chart values the local clusters need, given through the same istioMesh chartValues
 * input users have. Istio's webhooks refer to the istiod Service, so the API server
 * would dial a ClusterIP; nothing may dial one here. Until a local istiod serves them
 * on loopback, the harness leaves them out:
 * - base: defaultRevision "" drops the default-revision validating webhook;
 * - istiod: operatorManageWebhooks drops the injection webhooks, configValidation=false
 *   the validating one.
 */
export const HARNESS_CHART_VALUES = {
  base: { defaultRevision: '' },
  istiod: {
    global: { operatorManageWebhooks: true, configValidation: false },
  },
};
