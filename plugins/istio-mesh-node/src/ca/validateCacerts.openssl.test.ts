import {
  cacertsOf,
  INTERMEDIATE_EXTENSIONS,
  opensslCert,
  OpensslCert,
  ROOT_EXTENSIONS,
} from './__testUtils__/openssl';
import { validateCacerts } from './validateCacerts';

const ROOT_SUBJECT = '/O=Istio/CN=Root CA';
const INTERMEDIATE_SUBJECT = '/O=Istio/CN=Intermediate CA/L=east';

/** Validation as Go and TLS stacks see certificates, on certificates openssl made. */
describe('validateCacerts on certificates made by openssl', () => {
  let root: OpensslCert;

  beforeAll(() => {
    root = opensslCert({ subject: ROOT_SUBJECT, extensions: ROOT_EXTENSIONS });
  });

  const intermediate = (
    options: Partial<Parameters<typeof opensslCert>[0]> = {},
    issuer = root,
  ) =>
    opensslCert(
      {
        subject: INTERMEDIATE_SUBJECT,
        extensions: INTERMEDIATE_EXTENSIONS,
        ...options,
      },
      issuer,
    );
  const problems = (files: Record<string, string>) =>
    validateCacerts(files).errors.map(e => `${e.file}: ${e.problem}`);

  it('accepts a bundle made as the Makefile makes it, and a serial whose high bit is set (0x8A0102030405)', () => {
    expect(problems(cacertsOf(root, intermediate()))).toEqual([]);
    expect(
      problems(cacertsOf(root, intermediate({ serial: '0x8A0102030405' }))),
    ).toEqual([]);
  });

  it('refuses a negative serial (-5), which Go refuses', () => {
    expect(problems(cacertsOf(root, intermediate({ serial: '-5' })))).toEqual([
      expect.stringMatching(
        /^ca-cert.pem: .*Intermediate CA.* has a negative serial number/,
      ),
    ]);
  });

  it('refuses a root with pathlen:0, under which no intermediate verifies', () => {
    const pathlen0 = opensslCert({
      subject: ROOT_SUBJECT,
      extensions: [
        'basicConstraints = critical, CA:true, pathlen:0',
        ...ROOT_EXTENSIONS.slice(1),
      ],
    });
    expect(problems(cacertsOf(pathlen0, intermediate({}, pathlen0)))).toEqual([
      expect.stringMatching(
        /^root-cert.pem: O=Istio, CN=Root CA has pathlen:0 but 1 CA certificate\(s\) below it/,
      ),
    ]);
  });

  it('refuses an intermediate whose keyUsage lacks keyCertSign', () => {
    const noCertSign = intermediate({
      extensions: [
        'basicConstraints = critical, CA:true, pathlen:0',
        'keyUsage = critical, digitalSignature, keyEncipherment',
      ],
    });
    expect(problems(cacertsOf(root, noCertSign))).toEqual([
      'ca-cert.pem: has a keyUsage without keyCertSign, so nothing it signs verifies',
    ]);
  });

  it('refuses SHA-1 anywhere in the chain, and an RSA key under 2048 bits', () => {
    const sha1 = intermediate({ digest: 'sha1' });
    expect(problems(cacertsOf(root, sha1))).toEqual([
      expect.stringMatching(/^ca-cert.pem: .* is signed with SHA-1/),
    ]);
    const small = intermediate({ key: 'rsa:1024' });
    expect(problems(cacertsOf(root, small))).toEqual([
      expect.stringMatching(/^ca-cert.pem: .* has a 1024-bit RSA key/),
    ]);
  });

  it('accepts an EC intermediate', () => {
    expect(problems(cacertsOf(root, intermediate({ key: 'ec' })))).toEqual([]);
  });

  it('flags keys beside the four files, naming the ones istiod reads first', () => {
    const files = { ...cacertsOf(root, intermediate()), 'tls.crt': 'x' };
    expect(problems(files)).toEqual([
      'tls.crt: is present, and istiod reads tls.crt, tls.key and ca.crt in preference to the four plugged-in CA files',
    ]);
  });

  it('refuses a file over 1 MiB without parsing it: 2 MiB of BEGIN lines', () => {
    const line = '-----BEGIN CERTIFICATE-----\n';
    const flood = line.repeat(Math.ceil((2 * 1024 * 1024) / line.length));
    const files = {
      ...cacertsOf(root, intermediate()),
      'cert-chain.pem': flood,
    };
    expect(problems(files)).toEqual([
      'cert-chain.pem: is larger than 1048576 bytes; a cacerts file is a few KB',
    ]);
  });
});
