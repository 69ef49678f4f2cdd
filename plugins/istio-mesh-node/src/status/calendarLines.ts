import {
  CALENDAR_ROLE_TITLES,
  CertificateCalendar,
} from '@istio-mesh/plugin-istio-mesh-common';
import { alignedColumns } from './alignedColumns';

const day = (iso: string) => iso.slice(0, 10);

/**
 * The certificate calendar for a terminal or a log: one row per certificate, soonest
 * expiry first, then a warning per certificate within the warning window or expired,
 * and what could not be read.
 *
 * @public
 */
export function formatCertificateCalendar(
  calendar: CertificateCalendar,
): string[] {
  const table = [
    [
      'ROLE',
      'CLUSTER',
      'SUBJECT',
      'SERIAL',
      'SHA-256',
      'NOT BEFORE',
      'NOT AFTER',
      'DAYS LEFT',
    ],
    ...calendar.entries.map(e => [
      CALENDAR_ROLE_TITLES[e.role],
      e.clusters.join(','),
      e.subject,
      e.serial,
      e.sha256,
      day(e.notBefore),
      day(e.notAfter),
      `${e.daysLeft}${e.state === 'valid' ? '' : ` ${e.state.toUpperCase()}`}`,
    ]),
  ];
  const warnings = calendar.entries
    .filter(e => e.state !== 'valid')
    .map(e =>
      e.state === 'expired'
        ? `EXPIRED: ${CALENDAR_ROLE_TITLES[e.role]} ${
            e.subject
          } of ${e.clusters.join(', ')} expired on ${day(e.notAfter)}`
        : `WARNING: ${CALENDAR_ROLE_TITLES[e.role]} ${
            e.subject
          } of ${e.clusters.join(', ')} expires in ${e.daysLeft} days, on ${day(
            e.notAfter,
          )} (warning from ${calendar.warnDays} days)`,
    );
  const removed = calendar.entries
    .filter(e => e.role === 'removed-intermediate')
    .map(
      e =>
        `removed intermediate of ${e.clusters[0]} (serial ${
          e.serial
        }), taken out on ${day(
          e.removedAt ?? '',
        )}: still trusted by the mesh root until ${day(e.notAfter)}`,
    );
  return [
    ...alignedColumns(table, 3),
    ...warnings,
    ...removed,
    ...calendar.unknown.map(
      u => `${u.cluster}: its intermediate is not listed: ${u.reason}`,
    ),
    ...(calendar.removedError
      ? [`removed intermediates are not listed: ${calendar.removedError}`]
      : []),
  ];
}
