import { ApiextensionsV1Api, KubeConfig } from '@kubernetes/client-node';
import {
  GatewayExposure,
  LoadBalancerProvider,
  MeshCluster,
} from '../clusters/meshCluster';
import { describeKubeError, MeshStepError } from '../mesh/errors';
import { CROSS_NETWORK_PORT } from '../mesh/names';

/**
 * How the gateway's Service is exposed, and whether the cluster runs the AWS Load
 * Balancer Controller (asked only of EKS clusters).
 */
export interface GatewayServiceSettings {
  exposure: GatewayExposure;
  awsLoadBalancerController: boolean;
}

/** The port load balancers probe: the gateway's /healthz/ready. */
export const GATEWAY_STATUS_PORT = 15021;

/**
 * The only ports a multi-primary mesh needs from other networks. The chart's
 * `networkGateway` would also publish istiod's 15012 and 15017, which only a
 * primary-remote mesh's remotes use.
 */
export const GATEWAY_SERVICE_PORTS = [
  {
    name: 'status-port',
    port: GATEWAY_STATUS_PORT,
    targetPort: GATEWAY_STATUS_PORT,
    protocol: 'TCP',
  },
  {
    name: 'tls',
    port: CROSS_NETWORK_PORT,
    targetPort: CROSS_NETWORK_PORT,
    protocol: 'TCP',
  },
];

/** The CRD the AWS Load Balancer Controller installs: its presence means it runs. */
const AWS_LOAD_BALANCER_CONTROLLER_CRD = 'targetgroupbindings.elbv2.k8s.aws';

const AWS_TYPE = 'service.beta.kubernetes.io/aws-load-balancer-type';

/**
 * The annotations that give the gateway an L4, passthrough load balancer of its cloud,
 * public or, with `internal`, private.
 *
 * - EKS with the AWS Load Balancer Controller: type `external` hands the Service to
 *   the controller, which makes an NLB, with IP targets here. Its scheme defaults to
 *   internal since v2.2, so it is always written. (kubernetes-sigs/
 *   aws-load-balancer-controller, docs/guide/service/nlb.md and annotations.md)
 * - EKS without it: the in-tree service controller makes an NLB for type `nlb`, public
 *   unless `aws-load-balancer-internal`. (kubernetes/website, "Service", Network Load
 *   Balancer support on AWS; kubernetes/cloud-provider-aws,
 *   docs/service_controller.md)
 * - AKS: a LoadBalancer Service gets the cluster's standard public load balancer; the
 *   internal one takes `azure-load-balancer-internal`. (Azure docs, "Use an internal
 *   load balancer with AKS"; kubernetes-sigs/cloud-provider-azure,
 *   site/content/en/topics/loadbalancer.md)
 * - GKE: `l4-rbs` makes a backend service-based external passthrough Network Load
 *   Balancer (GKE 1.25.5+), which Google recommends over the target pool-based default;
 *   `load-balancer-type: Internal` makes the internal passthrough one. (Google Cloud
 *   docs, "LoadBalancer Service parameters")
 */
export function loadBalancerAnnotations(
  provider: LoadBalancerProvider,
  internal: boolean,
  awsLoadBalancerController: boolean,
): Record<string, string> {
  switch (provider) {
    case 'eks':
      if (awsLoadBalancerController) {
        return {
          [AWS_TYPE]: 'external',
          'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
          'service.beta.kubernetes.io/aws-load-balancer-scheme': internal
            ? 'internal'
            : 'internet-facing',
        };
      }
      return {
        [AWS_TYPE]: 'nlb',
        ...(internal
          ? { 'service.beta.kubernetes.io/aws-load-balancer-internal': 'true' }
          : {}),
      };
    case 'aks':
      return internal
        ? { 'service.beta.kubernetes.io/azure-load-balancer-internal': 'true' }
        : {};
    case 'gke':
      return internal
        ? { 'networking.gke.io/load-balancer-type': 'Internal' }
        : { 'cloud.google.com/l4-rbs': 'enabled' };
    case 'generic':
      return {};
    default:
      throw new Error(`unknown load balancer provider ${provider as string}`);
  }
}

/** A profile's one-line description, for the plan. */
export function describeExposure(
  exposure: GatewayExposure,
  awsLoadBalancerController: boolean,
): string {
  const kind = {
    eks: awsLoadBalancerController
      ? 'an NLB of the AWS Load Balancer Controller'
      : "an NLB of Kubernetes' AWS cloud provider",
    aks: "AKS's standard load balancer",
    gke: 'a GKE passthrough Network Load Balancer',
    generic: "the cluster's LoadBalancer implementation",
  }[exposure.provider];
  const from = exposure.loadBalancerSourceRanges.length
    ? `only from ${exposure.loadBalancerSourceRanges.join(', ')}`
    : 'from any address';
  return `${
    exposure.internal ? 'internal' : 'public'
  }, ${kind}, ports ${GATEWAY_STATUS_PORT} and ${CROSS_NETWORK_PORT} ${from}`;
}

/** The exposure of a cluster whose config says nothing: a public load balancer. */
export const GENERIC_EXPOSURE: GatewayExposure = {
  provider: 'generic',
  internal: false,
  loadBalancerSourceRanges: [],
};

/**
 * The cluster's gateway Service settings. Only an EKS cluster is asked whether the AWS
 * Load Balancer Controller runs, by its CRD; without it the in-tree NLB is used.
 */
export async function gatewayServiceSettings(
  cluster: MeshCluster,
  kc: KubeConfig,
  step: string,
): Promise<GatewayServiceSettings> {
  const exposure = cluster.gatewayExposure ?? GENERIC_EXPOSURE;
  if (exposure.provider !== 'eks') {
    return { exposure, awsLoadBalancerController: false };
  }
  try {
    await kc
      .makeApiClient(ApiextensionsV1Api)
      .readCustomResourceDefinition({ name: AWS_LOAD_BALANCER_CONTROLLER_CRD });
    return { exposure, awsLoadBalancerController: true };
  } catch (e) {
    if ((e as { code?: number }).code === 404) {
      return { exposure, awsLoadBalancerController: false };
    }
    throw new MeshStepError(
      cluster.name,
      step,
      `cannot tell whether the AWS Load Balancer Controller runs: reading CustomResourceDefinition ${AWS_LOAD_BALANCER_CONTROLLER_CRD} failed (${describeKubeError(
        e,
      )})`,
      'give the istioMesh credentials of this cluster get on customresourcedefinitions, which the join needs for istio-base anyway',
    );
  }
}
