import { createPrivateKey, X509Certificate } from 'node:crypto';
import { CacertsFile, CACERTS_FILES, MAX_CACERTS_FILE_BYTES } from './bundle';
import { issuedBy, sameCertificates } from './certificateFacts';
import { certificateFields } from './der';
import { pemBlocks } from './pem';
import { daysBetween, EXPIRY_WARNING_DAYS } from './profile';

/** @public */
export interface CacertsFinding {
  /** The file (the cacerts data key) at fault: one of CACERTS_FILES, or a key that should not be there. */
  file: string;
  problem: string;
  fix: string;
}

/** @public */
export interface CacertsReport {
  ok: boolean;
  errors: CacertsFinding[];
  warnings: CacertsFinding[];
  /** The intermediate's expiry, when ca-cert.pem could be read. */
  notAfter?: string;
}

/** @public */
export interface ValidateCacertsOptions {
  now?: Date;
  /** Skip ca-key.pem, for readers that may see certificates but never keys. */
  certificatesOnly?: boolean;
  /**
   * The roots the mesh trusts now, as its istiods publish them: root-cert.pem must hold
   * exactly these, so a bundle from a root a rotation dropped is refused.
   */
  meshRootsPem?: string;
}

/** PEM types istiod's ParsePemEncodedKey accepts (security/pkg/pki/util/crypto.go). */
const KEY_PEM_TYPES = ['RSA PRIVATE KEY', 'PRIVATE KEY', 'EC PRIVATE KEY'];
const SHA1_SIGNATURES = new Set([
  '1.2.840.113549.1.1.5',
  '1.2.840.10040.4.3',
  '1.2.840.10045.4.1',
]);
const MAX_CHAIN_DEPTH = 8;
const MIN_RSA_BITS = 2048;
/** Keys istiod reads before the four plugged-in CA files (pilot/pkg/bootstrap/istio_ca.go). */
const PRECEDENCE_KEYS = ['tls.crt', 'tls.key', 'ca.crt'];

/**
 * Checks a cacerts bundle the way istiod does when it loads a plugged-in CA
 * (NewVerifiedKeyCertBundleFromFile, NewPluggedCertIstioCAOptions, minTTL), and also for
 * what istiod accepts but breaks TLS at runtime: a cert-chain.pem from another cluster,
 * a chain that does not end in the root, a key for another certificate.
 *
 * @public
 */
export function validateCacerts(
  files: Partial<Record<string, string>>,
  options: ValidateCacertsOptions = {},
): CacertsReport {
  const now = options.now ?? new Date();
  const errors: CacertsFinding[] = [];
  const warnings: CacertsFinding[] = [];
  const fail = (file: CacertsFinding['file'], problem: string, fix: string) =>
    errors.push({ file, problem, fix });
  const report = (notAfter?: string): CacertsReport => ({
    ok: errors.length === 0,
    errors,
    warnings,
    ...(notAfter ? { notAfter } : {}),
  });

  const oversized = Object.entries(files).filter(
    ([, text]) => (text?.length ?? 0) > MAX_CACERTS_FILE_BYTES,
  );
  for (const [file] of oversized) {
    fail(
      file,
      `is larger than ${MAX_CACERTS_FILE_BYTES} bytes; a cacerts file is a few KB`,
      'use the files the CA tooling wrote, nothing else',
    );
  }
  if (oversized.length) return report();

  const known = new Set<string>([
    ...Object.values(CACERTS_FILES),
    'istio-generated',
  ]);
  for (const key of Object.keys(files).filter(k => !known.has(k))) {
    fail(
      key,
      PRECEDENCE_KEYS.includes(key)
        ? `is present, and istiod reads tls.crt, tls.key and ca.crt in preference to the four plugged-in CA files`
        : 'is not one of the four files istiod reads from cacerts',
      `write cacerts with exactly ${Object.values(CACERTS_FILES).join(
        ', ',
      )}, replacing the Secret rather than merging into it`,
    );
  }

  if (files['istio-generated'] !== undefined) {
    fail(
      'istio-generated',
      'the bundle has an istio-generated key, which makes istiod treat it as its own self-signed CA',
      'remove the istio-generated key from the cacerts secret',
    );
  }

  const required: CacertsFile[] = [
    CACERTS_FILES.caCert,
    CACERTS_FILES.rootCert,
    CACERTS_FILES.certChain,
    ...(options.certificatesOnly ? [] : [CACERTS_FILES.caKey]),
  ];
  for (const file of required) {
    if (!files[file]?.trim()) {
      fail(
        file,
        'is missing or empty; istiod refuses a partial bundle ("incomplete signing CA bundle detected")',
        `supply ${file}: regenerate the cluster's bundle with \`istio-mesh ca intermediate\``,
      );
    }
  }
  if (errors.some(e => required.includes(e.file as CacertsFile)))
    return report();

  const caCert = firstCertificate(
    files[CACERTS_FILES.caCert]!,
    CACERTS_FILES.caCert,
    fail,
  );
  // Several roots during a root rotation: istiod puts every one in its root pool, and
  // ca-cert.pem must chain to any of them (KeyCertBundle.Verify).
  const roots = certificates(
    files[CACERTS_FILES.rootCert]!,
    CACERTS_FILES.rootCert,
    fail,
  );
  const chain = certificates(
    files[CACERTS_FILES.certChain]!,
    CACERTS_FILES.certChain,
    fail,
  );
  if (!caCert || !roots || !chain) return report();
  if (options.meshRootsPem !== undefined) {
    const meshRoots = certificates(
      options.meshRootsPem,
      CACERTS_FILES.rootCert,
      () => undefined,
    );
    if (!meshRoots || !sameCertificates(meshRoots, roots)) {
      fail(
        CACERTS_FILES.rootCert,
        `holds ${describeSubjects(roots)}, but the mesh trusts ${
          meshRoots ? describeSubjects(meshRoots) : 'no root'
        }`,
        'sign the intermediate with the root the mesh trusts now; after a root rotation, that is the new root',
      );
    }
  }
  const signingRoot = roots.find(r => chainsToRoot(caCert, chain, r));
  const root = signingRoot ?? roots[0];
  const isRoot = (c: X509Certificate) => roots.some(r => r.raw.equals(c.raw));

  const named: [X509Certificate, CacertsFile][] = [
    [caCert, CACERTS_FILES.caCert],
    ...roots.map(
      r => [r, CACERTS_FILES.rootCert] as [X509Certificate, CacertsFile],
    ),
    ...chain
      .filter(c => !c.raw.equals(caCert.raw) && !isRoot(c))
      .map(c => [c, CACERTS_FILES.certChain] as [X509Certificate, CacertsFile]),
  ];
  for (const [cert, file] of named) checkEncoding(cert, file, fail);
  checkKeyCertSign(caCert, fail);

  if (!certificateFields(caCert.raw).ca) {
    fail(
      CACERTS_FILES.caCert,
      'is not a CA certificate (basicConstraints CA:TRUE is missing); istiod refuses it: "certificate is not authorized to sign other certificates"',
      'issue an intermediate CA certificate, not a workload or server certificate',
    );
  }
  for (const r of roots.filter(c => !certificateFields(c.raw).ca)) {
    fail(
      CACERTS_FILES.rootCert,
      `holds "${r.subject.replace(
        /\n/g,
        ', ',
      )}", which is not a CA certificate`,
      'use the mesh root CA certificate',
    );
  }

  const signedByRoot = !!signingRoot;
  if (!signedByRoot) {
    fail(
      CACERTS_FILES.caCert,
      `was not signed by root-cert.pem (issuer "${caCert.issuer.replace(
        /\n/g,
        ', ',
      )}", root "${root.subject.replace(/\n/g, ', ')}")`,
      'sign the intermediate with the mesh root, or use the mesh root as root-cert.pem',
    );
  }

  if (!caCert.raw.equals(chain[0].raw)) {
    fail(
      CACERTS_FILES.certChain,
      'does not begin with ca-cert.pem: istiod accepts this, but sends every workload certificate with this foreign chain and peers fail TLS verification',
      'rebuild cert-chain.pem as ca-cert.pem followed by root-cert.pem from the same cluster directory',
    );
  }
  if (!chain[chain.length - 1].raw.equals(root.raw)) {
    fail(
      CACERTS_FILES.certChain,
      'does not end with root-cert.pem, so peers cannot build a path to the mesh root',
      'rebuild cert-chain.pem as ca-cert.pem followed by root-cert.pem',
    );
  }

  if (
    caCert.raw.equals(chain[0].raw) &&
    chain[chain.length - 1].raw.equals(root.raw)
  ) {
    checkPathLengths(chain, fail);
  }

  const dated = { now, fail, warnings };
  checkValidity(caCert, CACERTS_FILES.caCert, dated);
  for (const r of roots) checkValidity(r, CACERTS_FILES.rootCert, dated);
  if (!caCert.raw.equals(chain[0].raw)) {
    checkValidity(chain[0], CACERTS_FILES.certChain, dated);
  }
  if (signedByRoot && new Date(caCert.validTo) > new Date(root.validTo)) {
    fail(
      CACERTS_FILES.caCert,
      `outlives the root (intermediate notAfter ${iso(
        caCert.validTo,
      )}, root notAfter ${iso(root.validTo)})`,
      'reissue the intermediate with fewer days, or rotate the root first',
    );
  }

  if (!options.certificatesOnly) {
    checkKey(files[CACERTS_FILES.caKey]!, caCert, fail);
  }
  return report(iso(caCert.validTo));
}

type Fail = (
  file: CacertsFinding['file'],
  problem: string,
  fix: string,
) => void;

function iso(date: string): string {
  return new Date(date).toISOString();
}

function certificates(
  text: string,
  file: CacertsFile,
  fail: Fail,
): X509Certificate[] | undefined {
  const blocks = pemBlocks(text).filter(b => b.type === 'CERTIFICATE');
  if (blocks.length === 0) {
    fail(
      file,
      'holds no PEM CERTIFICATE block',
      `write the PEM certificate(s) into ${file}`,
    );
    return undefined;
  }
  try {
    return blocks.map(b => new X509Certificate(b.der));
  } catch (e) {
    fail(
      file,
      `holds a certificate that does not parse: ${(e as Error).message}`,
      `regenerate ${file}`,
    );
    return undefined;
  }
}

function describeSubjects(certs: X509Certificate[]): string {
  return certs
    .map(
      c => `"${c.subject.replace(/\n/g, ', ')}" (sha256 ${c.fingerprint256})`,
    )
    .join(' and ');
}

function firstCertificate(
  text: string,
  file: CacertsFile,
  fail: Fail,
): X509Certificate | undefined {
  return certificates(text, file, fail)?.[0];
}

/** Follows issuers from the intermediate through cert-chain.pem to the root. */
function chainsToRoot(
  cert: X509Certificate,
  pool: X509Certificate[],
  root: X509Certificate,
): boolean {
  let current = cert;
  for (let depth = 0; ; depth++) {
    if (issuedBy(current, root)) return true;
    if (depth >= MAX_CHAIN_DEPTH) return false;
    const child = current;
    const parent = pool.find(
      p => !p.raw.equals(child.raw) && p.ca && issuedBy(child, p),
    );
    if (!parent) return false;
    current = parent;
  }
}

function checkValidity(
  cert: X509Certificate,
  file: CacertsFile,
  report: { now: Date; fail: Fail; warnings: CacertsFinding[] },
) {
  const { now, fail, warnings } = report;
  const notBefore = new Date(cert.validFrom);
  const notAfter = new Date(cert.validTo);
  if (now < notBefore) {
    fail(
      file,
      `is not valid until ${notBefore.toISOString()}`,
      'check the clock of the machine that issued it, or wait',
    );
  } else if (now > notAfter) {
    fail(
      file,
      `expired on ${notAfter.toISOString()}; istiod exits ("cert chain has expired") and cannot issue workload certificates`,
      file === CACERTS_FILES.rootCert
        ? 'rotate the mesh root CA'
        : "rotate this cluster's intermediate (`istio-mesh ca intermediate`)",
    );
  } else if (daysBetween(now, notAfter) < EXPIRY_WARNING_DAYS) {
    warnings.push({
      file,
      problem: `expires on ${notAfter.toISOString()}, in ${Math.floor(
        daysBetween(now, notAfter),
      )} days`,
      fix:
        file === CACERTS_FILES.rootCert
          ? 'plan a root rotation now'
          : "rotate this cluster's intermediate soon",
    });
  }
}

/**
 * What Go's x509 (and so istiod) or any TLS stack refuses in a certificate itself: a
 * SHA-1 signature, a serial that DER encodes as zero or negative, an RSA key under
 * 2048 bits.
 */
function checkEncoding(cert: X509Certificate, file: CacertsFile, fail: Fail) {
  const fields = certificateFields(cert.raw);
  const subject = cert.subject.replace(/\n/g, ', ');
  if (SHA1_SIGNATURES.has(fields.signatureOid)) {
    fail(
      file,
      `${subject} is signed with SHA-1, which Go (and so istiod) rejects`,
      'reissue it with SHA-256',
    );
  }
  if (fields.serialSign !== 'positive') {
    fail(
      file,
      `${subject} has a ${fields.serialSign} serial number (${cert.serialNumber} as DER encodes it)`,
      'reissue it; Go rejects serials that are not positive',
    );
  }
  const details = cert.publicKey.asymmetricKeyDetails;
  if (
    cert.publicKey.asymmetricKeyType === 'rsa' &&
    (details?.modulusLength ?? 0) < MIN_RSA_BITS
  ) {
    fail(
      file,
      `${subject} has a ${details?.modulusLength}-bit RSA key`,
      `reissue it with an RSA key of ${MIN_RSA_BITS} bits or more (Istio's Makefile uses 4096)`,
    );
  }
}

/** An issuer needs keyCertSign when it has a keyUsage at all, as Go checks. */
function checkKeyCertSign(caCert: X509Certificate, fail: Fail) {
  if (certificateFields(caCert.raw).keyCertSign === false) {
    fail(
      CACERTS_FILES.caCert,
      'has a keyUsage without keyCertSign, so nothing it signs verifies',
      "reissue the intermediate with keyUsage keyCertSign (as Istio's Makefile does)",
    );
  }
}

/**
 * A workload certificate's chain is leaf, then cert-chain.pem: above each certificate of
 * cert-chain.pem stand as many CA certificates below it as its index. A pathLen smaller
 * than that breaks every workload's chain; a root with pathlen:0 cannot have an
 * intermediate at all.
 */
function checkPathLengths(chain: X509Certificate[], fail: Fail) {
  chain.forEach((cert, below) => {
    const { pathLen } = certificateFields(cert.raw);
    if (pathLen !== undefined && pathLen < below) {
      const last = below === chain.length - 1;
      fail(
        last ? CACERTS_FILES.rootCert : CACERTS_FILES.certChain,
        `${cert.subject.replace(
          /\n/g,
          ', ',
        )} has pathlen:${pathLen} but ${below} CA certificate(s) below it in every workload's chain`,
        last
          ? "use a root without a path length constraint (Istio's Makefile sets none)"
          : 'reissue that certificate without pathlen, or with a larger one',
      );
    }
  });
}

function checkKey(text: string, cert: X509Certificate, fail: Fail) {
  const file = CACERTS_FILES.caKey;
  const blocks = pemBlocks(text);
  const block = blocks[0];
  if (!block) {
    fail(
      file,
      'holds no PEM block',
      "write the intermediate's private key as PEM",
    );
    return;
  }
  if (
    block.type === 'ENCRYPTED PRIVATE KEY' ||
    /Proc-Type:\s*4,ENCRYPTED/.test(block.text)
  ) {
    fail(
      file,
      'is encrypted; istiod reads only unencrypted keys',
      'decrypt it (`openssl pkey -in ca-key.pem -out ca-key.pem`) and keep it only in the cacerts secret',
    );
    return;
  }
  if (!KEY_PEM_TYPES.includes(block.type)) {
    fail(
      file,
      `is a "${block.type}" block; istiod reads only ${KEY_PEM_TYPES.join(
        ', ',
      )}`,
      'write the key as PKCS#8 "PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY"',
    );
    return;
  }
  let matches: boolean;
  try {
    matches = cert.checkPrivateKey(createPrivateKey(block.text));
  } catch (e) {
    fail(
      file,
      `does not parse as a private key: ${(e as Error).message}`,
      'regenerate the bundle',
    );
    return;
  }
  if (!matches) {
    fail(
      file,
      'does not match ca-cert.pem; istiod refuses it: "the cert does not match the key"',
      'use the key that was generated with this ca-cert.pem, or regenerate both',
    );
  }
}
