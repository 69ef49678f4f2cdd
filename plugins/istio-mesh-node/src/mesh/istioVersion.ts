/**
 * The oldest Istio the actions support: 1.24 serves networking.istio.io/v1 for the
 * cross-network Gateway and templates its CRDs, so helm upgrades them (docs/istio-
 * procedure.md §3.6).
 */
export const MIN_ISTIO_MINOR = 24;

export function istioVersionProblem(version: string): string | undefined {
  const m = /^1\.(\d+)\.\d+([-+][0-9A-Za-z.-]+)?$/.exec(version);
  if (!m) {
    return `Istio version ${JSON.stringify(
      version,
    )} is not a chart version such as 1.30.2`;
  }
  if (Number(m[1]) < MIN_ISTIO_MINOR) {
    return `Istio ${version} is older than 1.${MIN_ISTIO_MINOR}, the oldest these actions support`;
  }
  return undefined;
}
