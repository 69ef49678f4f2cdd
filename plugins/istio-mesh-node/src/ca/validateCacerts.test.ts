import { createPrivateKey } from 'node:crypto';
import forge from 'node-forge';
import { CacertsBundle, joinPem } from './bundle';
import { generateRsaKeyPair } from './keys';
import { addDays } from './profile';
import { RootCa } from './rootCa';
import { asFiles, makeMesh } from './testing';
import { validateCacerts } from './validateCacerts';
import { randomSerialHex, signSha256, utf8Attributes } from './x509';

const FAST = { keySize: 2048 };

describe('validateCacerts', () => {
  let root: RootCa;
  let east: CacertsBundle;
  let west: CacertsBundle;
  let foreign: CacertsBundle;

  beforeAll(async () => {
    ({
      root,
      bundles: { east, west },
    } = await makeMesh(['east', 'west'], FAST, FAST));
    ({
      bundles: { east: foreign },
    } = await makeMesh(['east'], FAST, FAST));
  }, 120_000);

  const problems = (files: Record<string, string>, now?: Date) =>
    validateCacerts(files, { now }).errors.map(e => `${e.file}: ${e.problem}`);

  it('accepts a fresh bundle', () => {
    const report = validateCacerts(asFiles(east));
    expect(report.errors).toEqual([]);
    expect(report.warnings).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it("accepts a root rotation's bundles: old and new root in root-cert.pem, the intermediate under either", async () => {
    const {
      root: newRoot,
      bundles: { east: reissued },
    } = await makeMesh(['east'], FAST, FAST);
    const bothRoots = joinPem(root.certPem, newRoot.certPem);
    expect(problems({ ...asFiles(east), 'root-cert.pem': bothRoots })).toEqual(
      [],
    );
    expect(
      problems({ ...asFiles(reissued), 'root-cert.pem': bothRoots }),
    ).toEqual([]);
    // Told the roots the mesh trusts after the rotation, a bundle from the old root is refused.
    expect(
      validateCacerts(asFiles(east), {
        meshRootsPem: newRoot.certPem,
      }).errors.map(e => `${e.file}: ${e.problem}`),
    ).toEqual([
      expect.stringMatching(
        /^root-cert.pem: holds ".*" \(sha256 .*\), but the mesh trusts ".*"/,
      ),
    ]);
    expect(
      validateCacerts(
        { ...asFiles(reissued), 'root-cert.pem': newRoot.certPem },
        { meshRootsPem: newRoot.certPem },
      ).errors,
    ).toEqual([]);
    // Once the old root is dropped, an intermediate it signed is refused.
    expect(
      problems({ ...asFiles(east), 'root-cert.pem': newRoot.certPem }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ca-cert.pem: was not signed by root-cert.pem/),
      ]),
    );
  }, 60_000);

  it('rejects a cert-chain.pem from another cluster of the same mesh', () => {
    const errors = problems({
      ...asFiles(east),
      'cert-chain.pem': west.certChain,
    });
    expect(errors).toEqual([
      expect.stringMatching(/^cert-chain.pem: does not begin with ca-cert.pem/),
    ]);
  });

  it('rejects a key that does not match ca-cert.pem', () => {
    expect(problems({ ...asFiles(east), 'ca-key.pem': west.caKey })).toEqual([
      expect.stringMatching(/^ca-key.pem: does not match ca-cert.pem/),
    ]);
  });

  it('rejects an intermediate the root did not sign', () => {
    const errors = problems({
      ...asFiles(foreign),
      'root-cert.pem': root.certPem,
      'cert-chain.pem': joinPem(foreign.caCert, root.certPem),
    });
    expect(errors).toEqual([
      expect.stringMatching(/^ca-cert.pem: was not signed by root-cert.pem/),
    ]);
  });

  it('rejects a certificate that is not a CA', async () => {
    const leaf = await issueLeaf(root);
    const errors = problems({
      'ca-cert.pem': leaf.certPem,
      'ca-key.pem': leaf.keyPem,
      'root-cert.pem': root.certPem,
      'cert-chain.pem': joinPem(leaf.certPem, root.certPem),
    });
    expect(errors).toEqual([
      expect.stringMatching(/^ca-cert.pem: is not a CA certificate/),
    ]);
  });

  it('rejects an expired intermediate, and warns 30 days ahead', async () => {
    const longAgo = new Date(Date.now() - 400 * 24 * 3600 * 1000);
    const { bundles } = await makeMesh(
      ['old'],
      { ...FAST, now: longAgo },
      { ...FAST, now: longAgo, days: 365 },
    );
    expect(problems(asFiles(bundles.old))).toContainEqual(
      expect.stringMatching(/^ca-cert.pem: expired on/),
    );
    const soon = addDays(longAgo, 350);
    const report = validateCacerts(asFiles(bundles.old), { now: soon });
    expect(report.ok).toBe(true);
    expect(report.warnings.map(w => w.file)).toEqual(['ca-cert.pem']);
  }, 60_000);

  it('rejects an encrypted key', () => {
    const encrypted = createPrivateKey(east.caKey).export({
      type: 'pkcs8',
      format: 'pem',
      cipher: 'aes-256-cbc',
      passphrase: 'secret',
    }) as string;
    expect(problems({ ...asFiles(east), 'ca-key.pem': encrypted })).toEqual([
      expect.stringMatching(/^ca-key.pem: is encrypted/),
    ]);
  });

  it.each(['ca-cert.pem', 'ca-key.pem', 'root-cert.pem', 'cert-chain.pem'])(
    'rejects a bundle without %s',
    file => {
      const files = asFiles(east);
      delete files[file];
      const report = validateCacerts(files);
      expect(report.errors).toEqual([
        expect.objectContaining({
          file,
          problem: expect.stringMatching(/is missing/),
        }),
      ]);
      expect(report.errors[0].fix).toMatch(/istio-mesh ca intermediate/);
    },
  );

  it('rejects a chain that does not end with the root', () => {
    expect(
      problems({ ...asFiles(east), 'cert-chain.pem': east.caCert }),
    ).toEqual([
      expect.stringMatching(/^cert-chain.pem: does not end with root-cert.pem/),
    ]);
  });

  it('rejects the istio-generated marker', () => {
    expect(problems({ ...asFiles(east), 'istio-generated': '' })).toEqual([
      expect.stringMatching(/^istio-generated: /),
    ]);
  });

  it('checks certificates without the key for readers that never see keys', () => {
    const files = asFiles(east);
    delete files['ca-key.pem'];
    expect(validateCacerts(files, { certificatesOnly: true }).ok).toBe(true);
  });

  it('names a fix for every error', () => {
    const report = validateCacerts({
      ...asFiles(east),
      'cert-chain.pem': west.certChain,
      'ca-key.pem': west.caKey,
    });
    expect(report.errors).toHaveLength(2);
    for (const e of report.errors) expect(e.fix.length).toBeGreaterThan(10);
  });
});

/** A server certificate signed by the root: not a CA. */
async function issueLeaf(root: RootCa) {
  const keys = await generateRsaKeyPair(2048);
  const rootCert = forge.pki.certificateFromPem(root.certPem);
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = randomSerialHex();
  cert.validity.notBefore = new Date();
  cert.validity.notAfter = addDays(new Date(), 30);
  cert.setSubject(utf8Attributes([{ shortName: 'CN', value: 'not-a-ca' }]));
  cert.setIssuer(rootCert.subject.attributes);
  cert.setExtensions([{ name: 'basicConstraints', cA: false }]);
  signSha256(cert, root.keyPem);
  return {
    certPem: forge.pki.certificateToPem(cert),
    keyPem: keys.privateKeyPem,
  };
}
