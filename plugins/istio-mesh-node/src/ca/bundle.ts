/**
 * The data keys of the `cacerts` secret, which are also the file names on disk.
 *
 * @public
 */
export const CACERTS_FILES = {
  caCert: 'ca-cert.pem',
  caKey: 'ca-key.pem',
  rootCert: 'root-cert.pem',
  certChain: 'cert-chain.pem',
} as const;

/** A cacerts file is a few KB; anything near this is not one. */
export const MAX_CACERTS_FILE_BYTES = 1024 * 1024;

/** @public */
export type CacertsFile = (typeof CACERTS_FILES)[keyof typeof CACERTS_FILES];

/**
 * One cluster's plugged-in CA, as istiod reads it from /etc/cacerts.
 *
 * @public
 */
export type CacertsBundle = Record<keyof typeof CACERTS_FILES, string>;

/** Concatenates PEM blocks leaf to root, each ending in one newline. */
export function joinPem(...blocks: string[]): string {
  return blocks.map(b => `${b.trim()}\n`).join('');
}

/** The bundle keyed by file name: the cacerts Secret's data keys, the validator's input. */
export function cacertsFiles(
  bundle: CacertsBundle,
): Record<CacertsFile, string> {
  return {
    [CACERTS_FILES.caCert]: bundle.caCert,
    [CACERTS_FILES.caKey]: bundle.caKey,
    [CACERTS_FILES.rootCert]: bundle.rootCert,
    [CACERTS_FILES.certChain]: bundle.certChain,
  } as Record<CacertsFile, string>;
}
