export { FileRootCaSigner } from './fileRootCaSigner';
export { KubernetesSecretRootCaSigner } from './kubernetesSecretRootCaSigner';
export type { KubernetesSecretRootCaLocation } from './kubernetesSecretRootCaSigner';
