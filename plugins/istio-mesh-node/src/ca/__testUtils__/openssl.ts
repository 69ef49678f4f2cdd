import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** What to vary in a certificate openssl makes; the defaults follow Istio's Makefile. */
export interface OpensslCertOptions {
  subject: string;
  /** An integer serial, as `openssl x509 -set_serial` takes it: decimal or 0x-hex, maybe negative. */
  serial?: string;
  /** `rsa:<bits>`, or `ec` for P-256. */
  key?: string;
  digest?: 'sha256' | 'sha1';
  /** Days of validity; an intermediate must not outlive its root. */
  days?: number;
  /** The extensions section, as openssl's config writes it. */
  extensions: string[];
}

export interface OpensslCert {
  certPem: string;
  keyPem: string;
}

/**
 * A certificate made by the openssl CLI, as an operator following Istio's Makefile would
 * make it: self-signed when no issuer is given.
 */
export function opensslCert(
  options: OpensslCertOptions,
  issuer?: OpensslCert,
): OpensslCert {
  const dir = mkdtempSync(join(tmpdir(), 'istio-mesh-openssl-'));
  const run = (args: string[]) =>
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  try {
    const key = options.key ?? 'rsa:2048';
    run(
      key === 'ec'
        ? [
            'genpkey',
            '-algorithm',
            'EC',
            '-pkeyopt',
            'ec_paramgen_curve:P-256',
            '-out',
            'key.pem',
          ]
        : [
            'genpkey',
            '-algorithm',
            'RSA',
            '-pkeyopt',
            `rsa_keygen_bits:${key.split(':')[1]}`,
            '-out',
            'key.pem',
          ],
    );
    writeFileSync(
      join(dir, 'ext.cnf'),
      ['[ext]', ...options.extensions].join('\n'),
    );
    run([
      'req',
      '-new',
      '-key',
      'key.pem',
      '-subj',
      options.subject,
      '-out',
      'req.csr',
    ]);
    const signer = issuer ?? { certPem: '', keyPem: '' };
    if (issuer) {
      writeFileSync(join(dir, 'issuer.pem'), issuer.certPem);
      writeFileSync(join(dir, 'issuer-key.pem'), issuer.keyPem);
    }
    run([
      'x509',
      '-req',
      '-in',
      'req.csr',
      '-days',
      String(options.days ?? (issuer ? 300 : 365)),
      `-${options.digest ?? 'sha256'}`,
      '-set_serial',
      options.serial ?? '0x1000',
      '-extfile',
      'ext.cnf',
      '-extensions',
      'ext',
      ...(signer.certPem
        ? ['-CA', 'issuer.pem', '-CAkey', 'issuer-key.pem']
        : ['-key', 'key.pem']),
      '-out',
      'cert.pem',
    ]);
    return {
      certPem: readFileSync(join(dir, 'cert.pem'), 'utf8'),
      keyPem: readFileSync(join(dir, 'key.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A root as Istio's Makefile makes it (root-ca.conf): CA, keyCertSign. */
export const ROOT_EXTENSIONS = [
  'basicConstraints = critical, CA:true',
  'keyUsage = critical, digitalSignature, nonRepudiation, keyEncipherment, keyCertSign',
  'subjectKeyIdentifier = hash',
];

/** An intermediate as the Makefile makes it (intermediate.conf): CA, pathlen:0. */
export const INTERMEDIATE_EXTENSIONS = [
  'basicConstraints = critical, CA:true, pathlen:0',
  'keyUsage = critical, digitalSignature, nonRepudiation, keyEncipherment, keyCertSign',
  'subjectKeyIdentifier = hash',
  'subjectAltName = DNS:istiod.istio-system.svc',
];

/** The four cacerts files of an intermediate under a root. */
export function cacertsOf(root: OpensslCert, intermediate: OpensslCert) {
  return {
    'ca-cert.pem': intermediate.certPem,
    'ca-key.pem': intermediate.keyPem,
    'root-cert.pem': root.certPem,
    'cert-chain.pem': intermediate.certPem + root.certPem,
  };
}
