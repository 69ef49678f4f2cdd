/**
 * What a root CA is asked to sign: an intermediate for one cluster of the mesh.
 *
 * @public
 */
export interface IntermediateSigningRequest {
  /** PKCS#10 request carrying the intermediate's subject and public key. */
  csrPem: string;
  cluster: string;
  sanDns: string;
  days: number;
  now: Date;
}

/**
 * The root CA, wherever it is kept. Callers get the root certificate and signatures,
 * never the key, so a backend such as Vault PKI, which never reveals its key, fits the
 * same interface.
 *
 * @public
 */
export interface RootCaSigner {
  /** Where the root lives, for messages; never key material. */
  readonly description: string;
  rootCertificatePem(): Promise<string>;
  /**
   * The root certificate as custody itself keeps it, for a decision that makes the mesh
   * trust it (a rotation's new root): where custody publishes its certificate apart
   * from the key, a published copy that differs is refused, naming both fingerprints.
   */
  custodyRootCertificatePem(): Promise<string>;
  /**
   * Confirms the root can sign: its key is there and belongs to the certificate. A
   * pre-flight uses it, so a join fails before it changes anything.
   */
  checkCanSign(): Promise<void>;
  signIntermediate(request: IntermediateSigningRequest): Promise<string>;
}
