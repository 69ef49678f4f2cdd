export { ensureReaderToken } from './readerToken';
export type { ReaderToken } from './readerToken';
export { remoteKubeconfig, remoteSecretManifest } from './remoteSecret';
export type { RemoteSecretSource } from './remoteSecret';
export { exchangeRemoteSecrets } from './exchange';
