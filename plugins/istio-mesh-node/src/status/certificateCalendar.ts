import {
  CalendarEntry,
  CertificateCalendar,
  ClusterMembership,
  RemovedIntermediate,
} from '@istio-mesh/plugin-istio-mesh-common';
import { X509Certificate } from 'node:crypto';
import { certificateFacts, certificatesIn } from '../ca/certificateFacts';

/** Certificates with this many days left, or fewer, are flagged: a month to rotate. */
export const CALENDAR_WARN_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

type Dated = Omit<CalendarEntry, 'daysLeft' | 'state'>;

function dated(entry: Dated, now: Date): CalendarEntry {
  const daysLeft = Math.floor(
    (new Date(entry.notAfter).getTime() - now.getTime()) / DAY_MS,
  );
  let state: CalendarEntry['state'] = 'valid';
  if (daysLeft < 0) state = 'expired';
  else if (daysLeft <= CALENDAR_WARN_DAYS) state = 'expiring';
  return { ...entry, daysLeft, state };
}

/**
 * The intermediate a member's istiod signs with, from the chain its CA returned to the
 * trust probe (leaf, then cert-chain.pem): what workloads actually receive, read
 * without touching the cacerts Secret and its key.
 */
function servedIntermediate(
  member: ClusterMembership,
): X509Certificate | string {
  const probe = member.istiodView?.probeCertificate;
  if (!probe?.chainPem) {
    return (
      probe?.error ??
      member.istiodView?.error ??
      member.istiodNotAsked ??
      'istiod was not asked'
    );
  }
  const [leaf, ...signers] = certificatesIn(probe.chainPem);
  const intermediate = signers.find(
    c => leaf.checkIssued(c) && !c.checkIssued(c),
  );
  return intermediate ?? 'the chain istiod served holds no intermediate';
}

/**
 * A mesh's certificate calendar, from the members' published root bundles, the chains
 * their istiods serve, and the removal records: the roots, each member's intermediate,
 * and each removed intermediate whose root the mesh still publishes and that has not
 * expired, since those are still trusted.
 */
export function certificateCalendar(
  members: ClusterMembership[],
  removed: { records: RemovedIntermediate[]; error?: string },
  meshId: string,
  now: Date,
): CertificateCalendar {
  const roots = new Map<string, Dated>();
  for (const m of members) {
    for (const root of certificatesIn(m.rootCertPem ?? '')) {
      const facts = certificateFacts(root);
      const known = roots.get(facts.sha256);
      if (known) known.clusters.push(m.cluster);
      else
        roots.set(facts.sha256, {
          role: 'root',
          clusters: [m.cluster],
          ...facts,
        });
    }
  }
  const intermediates: Dated[] = [];
  const unknown: CertificateCalendar['unknown'] = [];
  for (const m of members) {
    const served = servedIntermediate(m);
    if (typeof served === 'string') {
      unknown.push({ cluster: m.cluster, reason: served });
    } else {
      intermediates.push({
        role: 'intermediate',
        clusters: [m.cluster],
        ...certificateFacts(served),
      });
    }
  }
  const stillTrusted = removed.records.filter(
    r =>
      (!r.meshId || r.meshId === meshId) &&
      new Date(r.notAfter) > now &&
      (!r.rootSha256 || roots.has(r.rootSha256)),
  );
  const entries = [
    ...roots.values(),
    ...intermediates,
    ...stillTrusted.map(
      (r): Dated => ({
        role: 'removed-intermediate',
        clusters: [r.cluster],
        subject: r.subject,
        serial: r.serial,
        sha256: r.sha256,
        notBefore: r.notBefore,
        notAfter: r.notAfter,
        removedAt: r.removedAt,
      }),
    ),
  ]
    .map(e => dated(e, now))
    .sort((a, b) => a.notAfter.localeCompare(b.notAfter));
  return {
    warnDays: CALENDAR_WARN_DAYS,
    entries,
    unknown,
    removedError: removed.error,
  };
}
