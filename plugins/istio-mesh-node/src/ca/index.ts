export { createRootCa } from './rootCa';
export type { RootCa } from './rootCa';
export { createIntermediateCa, assertClusterName } from './intermediateCa';
export { validateCacerts } from './validateCacerts';
export type {
  CacertsFinding,
  CacertsReport,
  ValidateCacertsOptions,
} from './validateCacerts';
export { CACERTS_FILES, joinPem, cacertsFiles } from './bundle';
export type { CacertsBundle, CacertsFile } from './bundle';
export {
  readCacertsDir,
  writeCacertsDir,
  writeRootCaDir,
  ROOT_FILES,
} from './files';
export type { RootCaSigner, IntermediateSigningRequest } from './signer';
export type { RootCaOptions, IntermediateCaOptions } from './profile';
export {
  ROOT_CA_DEFAULTS,
  INTERMEDIATE_CA_DEFAULTS,
  EXPIRY_WARNING_DAYS,
} from './profile';
export * from './custody';
