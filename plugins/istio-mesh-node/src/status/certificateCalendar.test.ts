import { RemovedIntermediate } from '@istio-mesh/plugin-istio-mesh-common';
import { X509Certificate } from 'node:crypto';
import { issueWorkloadCertificate, makeMesh } from '../ca/testing';
import { member } from '../checks/__testUtils__/member';
import { formatCertificateCalendar } from './calendarLines';
import { certificateCalendar } from './certificateCalendar';

const DAY = 86_400_000;

describe('certificateCalendar', () => {
  let mesh: Awaited<ReturnType<typeof makeMesh>>;
  let members: ReturnType<typeof member>[];
  let removed: RemovedIntermediate;

  beforeAll(async () => {
    mesh = await makeMesh(
      ['east', 'west', 'gone'],
      { keySize: 2048, days: 3650 },
      { keySize: 2048, days: 40 },
    );
    members = await Promise.all(
      ['east', 'west'].map(async name =>
        member(name, {
          rootCertPem: mesh.bundles[name].rootCert,
          istiodView: {
            probeCertificate: {
              chainPem: await issueWorkloadCertificate(mesh.bundles[name]),
            },
          },
        }),
      ),
    );
    const gone = new X509Certificate(mesh.bundles.gone.caCert);
    removed = {
      cluster: 'gone',
      clusterName: 'gone',
      meshId: 'mesh1',
      subject: gone.subject.split('\n').join(', '),
      serial: gone.serialNumber,
      sha256: gone.fingerprint256,
      notBefore: new Date(gone.validFrom).toISOString(),
      notAfter: new Date(gone.validTo).toISOString(),
      rootSha256: new X509Certificate(mesh.root.certPem).fingerprint256,
      removedAt: '2026-11-20T10:00:00.000Z',
    };
  });

  it('lists the one root both publish, each served intermediate and the removed one, soonest first', () => {
    const calendar = certificateCalendar(
      members,
      { records: [removed] },
      'mesh1',
      new Date(),
    );
    const root = new X509Certificate(mesh.root.certPem);
    expect(calendar.entries.map(e => [e.role, e.clusters])).toEqual([
      ['intermediate', ['east']],
      ['intermediate', ['west']],
      ['removed-intermediate', ['gone']],
      ['root', ['east', 'west']],
    ]);
    expect(calendar.entries[3]).toMatchObject({
      subject: root.subject.split('\n').join(', '),
      serial: root.serialNumber,
      sha256: root.fingerprint256,
      state: 'valid',
    });
    const east = new X509Certificate(mesh.bundles.east.caCert);
    expect(calendar.entries[0]).toMatchObject({
      serial: east.serialNumber,
      sha256: east.fingerprint256,
      daysLeft: 39,
      state: 'valid',
    });
    expect(calendar.unknown).toEqual([]);
  });

  it('warns at 30 days left, and says expired after notAfter', () => {
    const in10 = new Date(Date.now() + 10 * DAY);
    const calendar = certificateCalendar(
      members,
      { records: [] },
      'mesh1',
      in10,
    );
    expect(calendar.entries[0]).toMatchObject({
      role: 'intermediate',
      daysLeft: 29,
      state: 'expiring',
    });
    const lines = formatCertificateCalendar(calendar);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^WARNING: intermediate .* of east expires in 29 days, on \d{4}-\d\d-\d\d \(warning from 30 days\)$/,
      ),
    );
    const later = certificateCalendar(
      members,
      { records: [] },
      'mesh1',
      new Date(Date.now() + 41 * DAY),
    );
    expect(later.entries[0]).toMatchObject({ state: 'expired' });
    expect(formatCertificateCalendar(later)).toContainEqual(
      expect.stringMatching(/^EXPIRED: intermediate .* of east expired on /),
    );
  });

  it('drops removed intermediates that expired, whose root left, or of another mesh', () => {
    const records = [
      { ...removed, notAfter: new Date(Date.now() - DAY).toISOString() },
      { ...removed, rootSha256: 'AA:BB' },
      { ...removed, meshId: 'mesh2' },
    ];
    expect(
      certificateCalendar(
        members,
        { records },
        'mesh1',
        new Date(),
      ).entries.map(e => e.role),
    ).not.toContain('removed-intermediate');
  });

  it("says why a member's intermediate is missing, and why removed ones could not be read", () => {
    const calendar = certificateCalendar(
      [
        members[0],
        member('west', {
          rootCertPem: mesh.bundles.west.rootCert,
          istiodNotAsked: 'istiod is not installed',
        }),
      ],
      { records: [], error: 'cannot read ConfigMap (HTTP 403)' },
      'mesh1',
      new Date(),
    );
    expect(calendar.unknown).toEqual([
      { cluster: 'west', reason: 'istiod is not installed' },
    ]);
    const lines = formatCertificateCalendar(calendar);
    expect(lines[0]).toMatch(
      /^ROLE +CLUSTER +SUBJECT +SERIAL +SHA-256 +NOT BEFORE +NOT AFTER +DAYS LEFT$/,
    );
    expect(lines).toContain(
      'west: its intermediate is not listed: istiod is not installed',
    );
    expect(lines).toContain(
      'removed intermediates are not listed: cannot read ConfigMap (HTTP 403)',
    );
  });
});
