export { FileRootCaSigner } from './fileRootCaSigner';
export { KubernetesSecretRootCaSigner } from './kubernetesSecretRootCaSigner';
export type { KubernetesSecretRootCaLocation } from './kubernetesSecretRootCaSigner';
export { rootCaSignerFromConfig } from './rootCaSignerFromConfig';
export type { RootCaConfig, RootCustody } from './rootCaSignerFromConfig';
export { createRootInCustody } from './createRootInCustody';
