const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Names of Kubernetes objects and clusters in config: DNS-1123 labels. */
export function dnsLabelProblem(
  what: string,
  name: string,
): string | undefined {
  if (name.length > 63 || !DNS1123_LABEL.test(name)) {
    return `${what} ${JSON.stringify(
      name,
    )} is not a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters, starting and ending with a letter or digit)`;
  }
  return undefined;
}

/**
 * istioctl refuses a remote secret name that is not a DNS-1123 label, and the cluster
 * name is the remote secret's name suffix and data key.
 */
export function clusterNameProblem(name: string): string | undefined {
  return dnsLabelProblem('cluster name', name);
}

/** The network is a label value on istio-system, pods and the east-west gateway Service. */
export function networkNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > 63 || !LABEL_VALUE.test(name)) {
    return `network name ${JSON.stringify(
      name,
    )} is not a valid label value (letters, digits, '-', '_' and '.', at most 63 characters, starting and ending with a letter or digit)`;
  }
  return undefined;
}

/** meshID becomes a label value on proxies too. */
export function meshIdProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > 63 || !LABEL_VALUE.test(name)) {
    return `mesh ID ${JSON.stringify(
      name,
    )} is not a valid label value (letters, digits, '-', '_' and '.', at most 63 characters)`;
  }
  return undefined;
}
