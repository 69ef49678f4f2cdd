/**
 * The certificate profile of Istio's tools/certs Makefiles (common.mk and
 * Makefile.selfsigned.mk). Defaults are the Makefile's variables, so a mesh built here
 * matches one built by hand from the Istio docs.
 *
 * @public
 */
export interface RootCaOptions {
  organization?: string;
  commonName?: string;
  days?: number;
  keySize?: number;
  /** The clock; tests move it to make expired or nearly expired bundles. */
  now?: Date;
}

/** @public */
export interface IntermediateCaOptions {
  /** The cluster name, written as the subject's L attribute, as `make <name>-cacerts` does. */
  cluster: string;
  organization?: string;
  commonName?: string;
  days?: number;
  keySize?: number;
  sanDns?: string;
  now?: Date;
}

export const ROOT_CA_DEFAULTS = {
  organization: 'Istio',
  commonName: 'Root CA',
  days: 3650,
  keySize: 4096,
} as const;

export const INTERMEDIATE_CA_DEFAULTS = {
  organization: 'Istio',
  commonName: 'Intermediate CA',
  days: 3650,
  keySize: 4096,
  sanDns: 'istiod.istio-system.svc',
} as const;

/** Days before expiry at which a cacerts bundle is reported as expiring. */
export const EXPIRY_WARNING_DAYS = 30;

const DAY_MS = 24 * 60 * 60 * 1000;

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

export function daysBetween(from: Date, to: Date): number {
  return (to.getTime() - from.getTime()) / DAY_MS;
}

/** Fills in defaults for options that are absent or explicitly undefined. */
export function withDefaults<D extends object, O extends object>(
  defaults: D,
  options: O,
): D & O {
  const given = Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined),
  );
  return { ...defaults, ...given } as D & O;
}
