const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * istioctl refuses a remote secret name that is not a DNS-1123 label, and the cluster
 * name is the remote secret's name suffix and data key.
 */
export function clusterNameProblem(name: string): string | undefined {
  if (name.length > 63 || !DNS1123_LABEL.test(name)) {
    return `cluster name "${name}" is not a DNS-1123 label (lowercase letters, digits and '-', at most 63 characters, starting and ending with a letter or digit)`;
  }
  return undefined;
}

/** The network is a label value on istio-system, pods and the east-west gateway Service. */
export function networkNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > 63 || !LABEL_VALUE.test(name)) {
    return `network name "${name}" is not a valid label value (letters, digits, '-', '_' and '.', at most 63 characters, starting and ending with a letter or digit)`;
  }
  return undefined;
}

/** meshID becomes a label value on proxies too. */
export function meshIdProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > 63 || !LABEL_VALUE.test(name)) {
    return `mesh ID "${name}" is not a valid label value (letters, digits, '-', '_' and '.', at most 63 characters)`;
  }
  return undefined;
}
