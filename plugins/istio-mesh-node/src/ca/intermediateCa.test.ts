import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { pemBlocks } from './pem';
import { makeMesh, withTempDir, writeFiles } from './testing';
import { CacertsBundle } from './bundle';
import { RootCa } from './rootCa';

function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8' });
}

function text(dir: string, file: string): string {
  return openssl(
    'x509',
    '-in',
    join(dir, file),
    '-noout',
    '-text',
    '-nameopt',
    'show_type,sep_comma_plus_space',
  );
}

describe('root and intermediate, as Makefile.selfsigned.mk makes them', () => {
  let root: RootCa;
  let east: CacertsBundle;

  beforeAll(async () => {
    const mesh = await makeMesh(['east']);
    root = mesh.root;
    east = mesh.bundles.east;
  }, 60_000);

  it('passes openssl verify against the root', () =>
    withTempDir(async dir => {
      writeFiles(dir, {
        'root-cert.pem': root.certPem,
        'ca-cert.pem': east.caCert,
      });
      expect(
        openssl(
          'verify',
          '-CAfile',
          join(dir, 'root-cert.pem'),
          join(dir, 'ca-cert.pem'),
        ),
      ).toContain(': OK');
    }));

  it('gives the root the subject, key and extensions of root-ca.conf', () =>
    withTempDir(async dir => {
      writeFiles(dir, { 'root-cert.pem': root.certPem });
      const out = text(dir, 'root-cert.pem');
      expect(out).toContain(
        'Subject: O=UTF8STRING:Istio, CN=UTF8STRING:Root CA',
      );
      expect(out).toContain(
        'Issuer: O=UTF8STRING:Istio, CN=UTF8STRING:Root CA',
      );
      expect(out).toContain('Public-Key: (4096 bit)');
      expect(out).toContain('Signature Algorithm: sha256WithRSAEncryption');
      expect(extensions(out)).toEqual([
        'X509v3 Subject Key Identifier:',
        'X509v3 Basic Constraints: critical CA:TRUE',
        'X509v3 Key Usage: critical Digital Signature, Non Repudiation, Key Encipherment, Certificate Sign',
      ]);
    }));

  it('gives the intermediate the subject, key and extensions of intermediate.conf', () =>
    withTempDir(async dir => {
      writeFiles(dir, { 'ca-cert.pem': east.caCert });
      const out = text(dir, 'ca-cert.pem');
      expect(out).toContain(
        'Subject: O=UTF8STRING:Istio, CN=UTF8STRING:Intermediate CA, L=UTF8STRING:east',
      );
      expect(out).toContain(
        'Issuer: O=UTF8STRING:Istio, CN=UTF8STRING:Root CA',
      );
      expect(out).toContain('Public-Key: (4096 bit)');
      expect(extensions(out)).toEqual([
        'X509v3 Subject Key Identifier:',
        'X509v3 Basic Constraints: critical CA:TRUE, pathlen:0',
        'X509v3 Key Usage: critical Digital Signature, Non Repudiation, Key Encipherment, Certificate Sign',
        'X509v3 Subject Alternative Name: DNS:istiod.istio-system.svc',
        'X509v3 Authority Key Identifier:',
      ]);
    }));

  it('copies the root subject bytes into the issuer', () => {
    const rootCert = new X509Certificate(root.certPem);
    const caCert = new X509Certificate(east.caCert);
    expect(caCert.checkIssued(rootCert)).toBe(true);
    expect(issuerDer(caCert)).toEqual(subjectDer(rootCert));
  });

  it('uses positive serials of at most 20 bytes', () => {
    for (const pem of [root.certPem, east.caCert]) {
      const serial = new X509Certificate(pem).serialNumber;
      expect(serial.length).toBeLessThanOrEqual(40);
      expect(parseInt(serial[0], 16)).toBeLessThan(8);
      expect(/^0+$/.test(serial)).toBe(false);
    }
  });

  it('builds cert-chain.pem as ca-cert followed by the root', () => {
    const chain = pemBlocks(east.certChain);
    expect(chain.map(b => b.type)).toEqual(['CERTIFICATE', 'CERTIFICATE']);
    expect(chain[0].der).toEqual(pemBlocks(east.caCert)[0].der);
    expect(chain[1].der).toEqual(pemBlocks(root.certPem)[0].der);
  });

  it("writes root-cert.pem as a byte copy of the root's, as the Makefile's cp does", () => {
    expect(east.rootCert).toBe(root.certPem);
  });

  it('starts the intermediate five minutes back for lagging clocks, never before the root', async () => {
    const hourAgo = new Date(Date.now() - 3600_000);
    const older = await makeMesh(
      ['east'],
      { now: hourAgo, keySize: 2048 },
      { keySize: 2048 },
    );
    const started = new Date(
      new X509Certificate(older.bundles.east.caCert).validFrom,
    ).getTime();
    expect(Date.now() - started).toBeGreaterThanOrEqual(5 * 60_000 - 2000);
    expect(Date.now() - started).toBeLessThan(6 * 60_000);
    expect(
      new Date(new X509Certificate(east.caCert).validFrom).getTime(),
    ).toBeGreaterThanOrEqual(
      new Date(new X509Certificate(root.certPem).validFrom).getTime(),
    );
  });

  it('never lets the intermediate outlive the root', () => {
    const rootCert = new X509Certificate(root.certPem);
    const caCert = new X509Certificate(east.caCert);
    expect(new Date(caCert.validTo).getTime()).toBeLessThanOrEqual(
      new Date(rootCert.validTo).getTime(),
    );
  });
});

/** The extension lines of `openssl x509 -text`, each header joined with its value. */
function extensions(out: string): string[] {
  const lines = out.split('\n');
  const start = lines.findIndex(l => l.trim() === 'X509v3 extensions:');
  const end = lines.findIndex(
    (l, i) => i > start && /^ {4}Signature Algorithm/.test(l),
  );
  const result: string[] = [];
  for (const line of lines.slice(start + 1, end)) {
    if (/^ {12}X509v3 /.test(line)) result.push(line.trim());
    else if (!/^\s+([0-9A-F]{2}:)+[0-9A-F]{2}$/.test(line))
      result[result.length - 1] += ` ${line.trim()}`;
  }
  return result.map(r => r.trim());
}

/** Raw DER of the tbsCertificate's issuer (index 3) and subject (index 5) fields. */
function issuerDer(cert: X509Certificate): Buffer {
  return derChildren(derChildren(cert.raw)[0])[3];
}
function subjectDer(cert: X509Certificate): Buffer {
  return derChildren(derChildren(cert.raw)[0])[5];
}

/** The child TLVs of a DER SEQUENCE. */
function derChildren(der: Buffer): Buffer[] {
  const children: Buffer[] = [];
  const [contentStart, length] = derHeader(der, 0);
  let offset = contentStart;
  while (offset < contentStart + length) {
    const [start, len] = derHeader(der, offset);
    children.push(der.subarray(offset, start + len));
    offset = start + len;
  }
  return children;
}

function derHeader(der: Buffer, at: number): [number, number] {
  let length = der[at + 1];
  let start = at + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + der[start + i];
    start += n;
  }
  return [start, length];
}
