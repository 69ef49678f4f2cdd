import { issueWorkloadCertificate, makeMesh } from './testing';
import { verifyChain } from './verifyChain';

describe('verifyChain', () => {
  let mesh: Awaited<ReturnType<typeof makeMesh>>;
  let foreign: Awaited<ReturnType<typeof makeMesh>>;
  let eastLeaf: string;

  beforeAll(async () => {
    mesh = await makeMesh(
      ['east', 'west'],
      { keySize: 2048 },
      { keySize: 2048 },
    );
    foreign = await makeMesh(['north'], { keySize: 2048 }, { keySize: 2048 });
    eastLeaf = await issueWorkloadCertificate(mesh.bundles.east);
  });

  it("trusts a leaf from one cluster's intermediate under the other cluster's copy of the root", () => {
    expect(verifyChain(eastLeaf, mesh.bundles.west.rootCert)).toEqual({
      trusted: true,
    });
  });

  it('refuses it under a foreign root, naming the certificate no root signed', () => {
    const verdict = verifyChain(eastLeaf, foreign.root.certPem);
    expect(verdict.trusted).toBe(false);
    expect(verdict).toMatchObject({
      reason: expect.stringMatching(
        /^no root of the bundle signed .*CN=Root CA/s,
      ),
    });
  });

  it('trusts it when any root of a multi-root bundle signed it', () => {
    expect(
      verifyChain(eastLeaf, foreign.root.certPem + mesh.root.certPem),
    ).toEqual({ trusted: true });
  });

  it('refuses a chain whose intermediate is not the one that signed the leaf', () => {
    const leafOnly = eastLeaf.slice(
      0,
      eastLeaf.indexOf('-----END CERTIFICATE-----') + 25,
    );
    const verdict = verifyChain(
      `${leafOnly}\n${foreign.bundles.north.certChain}`,
      mesh.root.certPem,
    );
    expect(verdict).toMatchObject({
      trusted: false,
      reason: expect.stringMatching(/^no root of the bundle signed/),
    });
  });

  it('refuses an expired leaf', async () => {
    const verdict = verifyChain(
      eastLeaf,
      mesh.root.certPem,
      new Date(Date.now() + 2 * 3600_000),
    );
    expect(verdict).toMatchObject({
      trusted: false,
      reason: expect.stringMatching(/is valid only from/),
    });
  });
});
