import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

const generateKeyPairAsync = promisify(generateKeyPair);

export interface RsaKeyPair {
  /** PKCS#8 `PRIVATE KEY`, the form OpenSSL 3 writes and istiod accepts. */
  privateKeyPem: string;
  publicKey: forge.pki.rsa.PublicKey;
}

/**
 * Generates an RSA key with Node's native crypto: node-forge's pure-JS generation of a
 * 4096-bit key takes seconds to minutes, the native one a fraction of that. Only the
 * public half is handed to forge: signing is native too (signSha256).
 */
export async function generateRsaKeyPair(bits: number): Promise<RsaKeyPair> {
  if (!Number.isInteger(bits) || bits < 2048) {
    throw new Error(
      `RSA key size ${bits} is too small: use 2048 bits or more (Istio's Makefile uses 4096)`,
    );
  }
  const { publicKey, privateKey } = await generateKeyPairAsync('rsa', {
    modulusLength: bits,
    publicExponent: 0x10001,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    privateKeyPem: privateKey,
    publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
  };
}
