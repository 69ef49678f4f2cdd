import { ChartName } from '../mesh/names';

/** Keys every Istio chart takes, through its zzz_profile.yaml. */
const PROFILE_KEYS = ['profile', 'platform', 'compatibilityVersion', 'global'];

/**
 * The top-level values each chart documents (its values.yaml, Istio 1.24 and later),
 * as the README's Configuration section lists them. A key outside these is a typo or
 * a value meant for another chart: helm would ignore it in silence.
 */
export const CHART_VALUE_KEYS: Record<ChartName, readonly string[]> = {
  base: [...PROFILE_KEYS, 'base', 'defaultRevision', 'experimental'],
  istiod: [
    ...PROFILE_KEYS,
    ...['pilot', 'affinity', 'autoscaleBehavior', 'autoscaleEnabled'],
    ...['autoscaleMax', 'autoscaleMin', 'base', 'cni', 'configMap', 'cpu'],
    ...['deploymentAnnotations', 'deploymentLabels', 'env', 'envVarFrom'],
    ...['experimental', 'extraContainerArgs', 'gatewayClasses', 'gateways'],
    ...['hub', 'image', 'initContainers', 'ipFamilies', 'ipFamilyPolicy'],
    ...['istiodRemote', 'jwksResolverExtraRootCA', 'memory', 'meshConfig'],
    ...['keepaliveMaxServerConnectionAge', 'nodeSelector', 'ownerName', 'pdb'],
    ...['podAnnotations', 'podLabels', 'replicaCount', 'resources'],
    ...['revision', 'revisionTags', 'rollingMaxSurge', 'rollingMaxUnavailable'],
    ...['seccompProfile', 'serviceAccountAnnotations', 'serviceAnnotations'],
    ...['sidecarInjectorWebhook', 'sidecarInjectorWebhookAnnotations', 'tag'],
    ...['taint', 'telemetry', 'tolerations', 'topologySpreadConstraints'],
    ...['traceSampling', 'trustedZtunnelName', 'trustedZtunnelNamespace'],
    ...['variant', 'volumeMounts', 'volumes'],
  ],
  gateway: [
    ...PROFILE_KEYS,
    ...['additionalContainers', 'affinity', 'annotations', 'autoscaling'],
    ...['containerSecurityContext', 'dnsConfig', 'dnsPolicy', 'env'],
    ...['envVarFrom', 'imagePullPolicy', 'imagePullSecrets', 'initContainers'],
    ...['kind', 'labels', 'lifecycle', 'minReadySeconds', 'name'],
    ...['networkGateway', 'networkGatewayPorts', 'nodeSelector'],
    ...['podAnnotations', 'podDisruptionBudget', 'priorityClassName', 'rbac'],
    ...['readinessProbe', 'replicaCount', 'resources', 'revision'],
    ...['securityContext', 'service', 'serviceAccount', 'strategy'],
    ...['terminationGracePeriodSeconds', 'tolerations'],
    ...['topologySpreadConstraints', 'volumeMounts', 'volumes'],
  ],
};

/**
 * Problems with a cluster's istioMesh chartValues: charts that do not exist, values
 * that are not maps, and top-level keys a chart does not document.
 *
 * @public
 */
export function chartValuesProblems(
  cluster: string,
  values: Record<string, unknown>,
): string[] {
  const where = `istioMesh.clusters[${cluster}].chartValues`;
  const problems: string[] = [];
  for (const [chart, chartValues] of Object.entries(values)) {
    const keys = CHART_VALUE_KEYS[chart as ChartName];
    if (!keys) {
      problems.push(
        `${where}.${chart}: there is no such chart; use base, istiod or gateway`,
      );
      continue;
    }
    if (
      typeof chartValues !== 'object' ||
      chartValues === null ||
      Array.isArray(chartValues)
    ) {
      problems.push(`${where}.${chart} must be a map of chart values`);
      continue;
    }
    for (const key of Object.keys(chartValues)) {
      if (!keys.includes(key)) {
        problems.push(
          `${where}.${chart}.${key} is not a value of Istio's ${chart} chart; the chart would ignore it (see the README's list of chart values)`,
        );
      }
    }
  }
  return problems;
}
