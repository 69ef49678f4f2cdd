import { clusterOfRef } from './clusterRef';
import { istioVersionProblem } from './istioVersion';
import {
  clusterNameProblem,
  dnsLabelProblem,
  meshIdProblem,
  networkNameProblem,
} from './validateNames';

/** An image reference: no whitespace, quotes, or shell and YAML syntax. */
const IMAGE = /^[A-Za-z0-9][A-Za-z0-9._\-/:@]{0,254}$/;

type StringCheck = (value: string) => string | undefined;

/**
 * The string inputs the mesh actions share, each with its check. An empty clusterName,
 * namespace or revision means "not given": the templates pass empty form fields on.
 */
const STRING_INPUTS: Record<string, { check: StringCheck; empty?: true }> = {
  cluster: { check: v => dnsLabelProblem('cluster', v) },
  clusterName: { check: clusterNameProblem, empty: true },
  meshId: { check: meshIdProblem },
  network: { check: networkNameProblem },
  istioVersion: { check: istioVersionProblem, empty: true },
  namespace: { check: v => dnsLabelProblem('namespace', v), empty: true },
  revision: { check: v => dnsLabelProblem('revision', v), empty: true },
  helloworldImage: { check: imageProblem, empty: true },
  curlImage: { check: imageProblem, empty: true },
};

const BOOLEAN_INPUTS = [
  'dryRun',
  'force',
  'uninstall',
  'keepProbe',
  'restartIstiodIfStale',
  'skipIstiodChecks',
  'workloadsTurnedOver',
];

function imageProblem(image: string): string | undefined {
  return IMAGE.test(image)
    ? undefined
    : `image ${JSON.stringify(
        image,
      )} is not an image reference (registry/name:tag or @sha256:…, no spaces or quotes)`;
}

/** The most clusters one Create mesh run takes, and the most helm installs at once. */
const MAX_CLUSTERS = 100;
const MAX_CONCURRENCY = 16;

function clustersProblems(value: unknown): string[] {
  if (!Array.isArray(value)) {
    return [
      `input clusters must be an array of cluster names, not ${kindOf(value)}`,
    ];
  }
  if (value.length < 2 || value.length > MAX_CLUSTERS) {
    return [
      `input clusters must name from 2 to ${MAX_CLUSTERS} clusters, not ${value.length}`,
    ];
  }
  const problems = value.flatMap((c, i) => {
    if (typeof c !== 'string') {
      return [`input clusters[${i}] must be a string, not ${kindOf(c)}`];
    }
    const problem = dnsLabelProblem('cluster', clusterOfRef(c));
    return problem ? [`input clusters[${i}]: ${problem}`] : [];
  });
  const names = value.map(c => (typeof c === 'string' ? clusterOfRef(c) : c));
  const twice = names.filter((c, i) => names.indexOf(c) !== i);
  if (twice.length > 0) {
    problems.push(
      `input clusters names ${[...new Set(twice)]
        .map(c => JSON.stringify(c))
        .join(', ')} more than once`,
    );
  }
  return problems;
}

function concurrencyProblem(value: unknown): string | undefined {
  return Number.isInteger(value) &&
    (value as number) >= 1 &&
    (value as number) <= MAX_CONCURRENCY
    ? undefined
    : `input concurrency must be a whole number from 1 to ${MAX_CONCURRENCY}, not ${JSON.stringify(
        value,
      )}`;
}

function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * What is wrong with a mesh action's input, each problem naming the input and what it
 * must be. Every action runs this before it reads a cluster, dry runs included: the
 * scaffolder's dry-run API reaches any action with any input.
 *
 * @public
 */
export function meshInputProblems(input: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const stringInput = STRING_INPUTS[key];
    if (stringInput) {
      if (typeof value !== 'string') {
        problems.push(`input ${key} must be a string, not ${kindOf(value)}`);
      } else if (value !== '' || !stringInput.empty) {
        const problem = stringInput.check(value);
        if (problem) problems.push(`input ${key}: ${problem}`);
      }
    } else if (key === 'clusters') {
      problems.push(...clustersProblems(value));
    } else if (key === 'concurrency') {
      const problem = concurrencyProblem(value);
      if (problem) problems.push(problem);
    } else if (BOOLEAN_INPUTS.includes(key) && typeof value !== 'boolean') {
      problems.push(`input ${key} must be true or false, not ${kindOf(value)}`);
    }
  }
  return problems;
}
