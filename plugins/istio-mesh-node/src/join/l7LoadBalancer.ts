type Values = Record<string, unknown>;

const BACKEND_PROTOCOL =
  'service.beta.kubernetes.io/aws-load-balancer-backend-protocol';
const SSL_CERT = 'service.beta.kubernetes.io/aws-load-balancer-ssl-cert';
const SSL_PORTS = 'service.beta.kubernetes.io/aws-load-balancer-ssl-ports';

function mapOf(values: unknown): Record<string, unknown> {
  return typeof values === 'object' && values !== null
    ? (values as Record<string, unknown>)
    : {};
}

/** Whether an ssl-ports value covers the gateway's tls port: unset or "*" means every port. */
function coversTlsPort(sslPorts: unknown): boolean {
  if (sslPorts === undefined) return true;
  return String(sslPorts)
    .split(',')
    .map(p => p.trim())
    .some(p => p === '*' || p === '15443' || p === 'tls');
}

/**
 * Annotations in the gateway chart's values that would put HTTP or TLS termination in
 * the load balancer in front of the east-west gateway, as "annotation: value"; none
 * when it stays L4. Its port 15443 is AUTO_PASSTHROUGH: the gateway routes by the SNI
 * of the workloads' own mTLS, which a load balancer that terminates TLS takes away.
 * The chart merges `annotations` into `service.annotations`.
 *
 * Sources: the AWS cloud provider's service controller (kubernetes/cloud-provider-aws,
 * docs/service_controller.md: backend-protocol http, https or ssl makes ELB listeners
 * of that protocol; ssl-cert adds TLS on the ssl-ports, every port by default) and the
 * AWS Load Balancer Controller (kubernetes-sigs/aws-load-balancer-controller,
 * docs/guide/service/annotations.md: ssl-cert and ssl-ports make NLB TLS listeners).
 */
export function l7LoadBalancerAnnotations(gatewayValues: Values): string[] {
  const annotations = {
    ...mapOf(mapOf(gatewayValues.service).annotations),
    ...mapOf(gatewayValues.annotations),
  };
  const found: string[] = [];
  const protocol = annotations[BACKEND_PROTOCOL];
  if (protocol !== undefined && /^(http|https|ssl)$/i.test(String(protocol)))
    found.push(`${BACKEND_PROTOCOL}: ${String(protocol)}`);
  if (
    annotations[SSL_CERT] !== undefined &&
    coversTlsPort(annotations[SSL_PORTS])
  )
    found.push(
      `${SSL_CERT} on ${
        annotations[SSL_PORTS] === undefined
          ? 'every port'
          : `ports ${String(annotations[SSL_PORTS])}`
      }`,
    );
  return found;
}
