import { ServiceRoutesTold } from './traffic';

/**
 * What the status API says about one cluster, read live from its API server.
 *
 * @public
 */
export interface ClusterMembership {
  /** The cluster's name in the portal's config. */
  cluster: string;
  reachable: boolean;
  /** Why it could not be read, when it could not. */
  error?: string;
  meshId?: string;
  /** istiod's clusterName (CLUSTER_ID). */
  clusterName?: string;
  /** istiod's global.network. */
  network?: string;
  /** The topology.istio.io/network label on istio-system. */
  namespaceNetwork?: string;
  istiod?: {
    version?: string;
    replicas: number;
    readyReplicas: number;
  };
  gateway?: {
    /** LoadBalancer IP or hostname. */
    address?: string;
    /** The topology.istio.io/network label on the gateway Service. */
    network?: string;
    ports: { name?: string; port: number }[];
  };
  /** Remote secrets in istio-system, read as metadata only. */
  remoteSecrets: { name: string; cluster?: string }[];
  /**
   * A join installed Istio here and has not exchanged its remote secrets yet: one in
   * progress, or one that stopped before its exchange. The mesh checks other than
   * joins-finished judge the cluster once its exchange is done.
   */
  joining?: boolean;
  /** SHA-256 of the root in the public istio-ca-root-cert ConfigMap. */
  rootFingerprint?: string;
  /**
   * The root bundle istiod publishes in the istio-ca-root-cert ConfigMap: what this
   * cluster's workloads verify their peers' certificates against.
   */
  rootCertPem?: string;
  /**
   * istiod's own view, from its /debug/clusterz and /debug/networkz; absent when
   * istiod was not asked.
   */
  istiodView?: {
    /** The istiod pod that was asked, and the revision it serves. */
    pod?: { name: string; revision?: string };
    /**
     * The clusters istiod reads endpoints from, its own included (secretName empty),
     * as /debug/clusterz lists them: what `istioctl remote-clusters` prints.
     */
    clusters?: { id: string; secretName?: string; syncStatus: string }[];
    /** The gateways istiod routes other networks' traffic through. */
    gateways?: {
      network: string;
      cluster: string;
      address: string;
      port: number;
    }[];
    /** A workload certificate istiod's CA issued for the trust probe. */
    probeCertificate?: ProbeCertificate;
    /** Why istiod could not be asked. */
    error?: string;
  };
  /** Why istiod was not asked, when it was not. */
  istiodNotAsked?: string;
}

/**
 * A workload certificate one cluster's istiod issued to the trust probe's
 * ServiceAccount, or why it issued none. All of it is public.
 *
 * @public
 */
export interface ProbeCertificate {
  /** The leaf's URI SAN: spiffe://TRUST-DOMAIN/ns/NAMESPACE/sa/ACCOUNT. */
  spiffeId?: string;
  /** The host part of the SPIFFE ID: istiod's meshConfig.trustDomain. */
  trustDomain?: string;
  /** The leaf followed by istiod's cert-chain.pem, as a peer presents them. */
  chainPem?: string;
  /** Why istiod's CA issued none. */
  error?: string;
}

/**
 * One cell of the trust matrix: whether `verifier`'s workloads accept a certificate
 * `issuer`'s istiod issued, judged by `verifier`'s published root bundle.
 *
 * @public
 */
export interface CrossClusterTrust {
  /** The cluster whose istiod issued the workload certificate. */
  issuer: string;
  /** The cluster whose published root bundle judged it. */
  verifier: string;
  state: 'trusted' | 'untrusted' | 'not-asked';
  /** The identity the certificate proved, as its URI SAN names it. */
  spiffeId?: string;
  /** The trust domain of that identity: istiod's meshConfig.trustDomain. */
  trustDomain?: string;
  /** Why it is trusted or not, or why it was not asked. */
  detail: string;
}

/**
 * A check's verdict. "not-asked" means the facts it needs could not be had for a
 * reason other than a fault (istiod has no debug address, say); the check's detail
 * gives that reason. "pending" means a change under way has not reached the facts yet:
 * a join that has not exchanged its remote secrets. Neither is shown as passing.
 *
 * @public
 */
export type CheckState = 'pass' | 'fail' | 'not-asked' | 'pending';

/**
 * The mesh checks, by id; each is one rule over the members' facts.
 *
 * @public
 */
export type MeshCheckId =
  | 'members-reachable'
  | 'joins-finished'
  | 'same-root'
  | 'same-mesh-id'
  | 'unique-cluster-names'
  | 'remote-secret-graph'
  | 'gateway-address'
  | 'network-label'
  | 'istiod-reads-members'
  | 'istiod-knows-gateways'
  | 'cross-cluster-trust';

/**
 * A health check across the mesh, with a one-line fix when it does not pass. The
 * template's verify step and the status API give the same checks for the same mesh.
 *
 * @public
 */
export interface MeshHealthCheck {
  id: MeshCheckId;
  title: string;
  state: CheckState;
  /** What was found; for "not-asked", why the check could not ask. */
  detail: string;
  fix?: string;
  /** The clusters the finding is about. */
  clusters: string[];
}

/**
 * A remote-secret link: `from`'s istiod reads `to` through it.
 *
 * @public
 */
export interface RemoteSecretLink {
  from: string;
  to: string;
  present: boolean;
}

/**
 * An intermediate CA taken out of the mesh with its cluster, as the removal recorded
 * it in the management cluster. All of it is public.
 *
 * @public
 */
export interface RemovedIntermediate {
  /** The cluster's name in the portal's config. */
  cluster: string;
  /** istiod's clusterName there. */
  clusterName: string;
  /** The mesh it left. */
  meshId?: string;
  subject: string;
  /** Hex, as openssl prints it. */
  serial: string;
  /** SHA-256 of the DER, colon-separated hex, as openssl x509 -fingerprint prints it. */
  sha256: string;
  notBefore: string;
  notAfter: string;
  /** SHA-256 of the root that signed it: it stays trusted while that root is. */
  rootSha256?: string;
  removedAt: string;
}

/**
 * One certificate of the mesh's trust, and how long it has left.
 *
 * @public
 */
export interface CalendarEntry {
  role: 'root' | 'intermediate' | 'removed-intermediate';
  /**
   * Roots: the members publishing it. Intermediates: the member whose istiod signs
   * with it. Removed intermediates: the cluster it was removed from.
   */
  clusters: string[];
  subject: string;
  serial: string;
  sha256: string;
  notBefore: string;
  notAfter: string;
  /** Whole days from the reading to notAfter; negative once expired. */
  daysLeft: number;
  /** "expiring" within the calendar's warnDays. */
  state: 'valid' | 'expiring' | 'expired';
  /** Removed intermediates: when the removal took it out. */
  removedAt?: string;
}

/**
 * How a calendar entry's role reads, in the UI and in the CLI.
 *
 * @public
 */
export const CALENDAR_ROLE_TITLES: Record<CalendarEntry['role'], string> = {
  root: 'root',
  intermediate: 'intermediate',
  'removed-intermediate': 'removed intermediate',
};

/**
 * When each certificate the mesh trusts expires: every root the members publish, the
 * intermediate each member's istiod signs with, and the intermediates of removed
 * clusters that the root still trusts. Sorted by notAfter, soonest first.
 *
 * @public
 */
export interface CertificateCalendar {
  /** Entries with this many days left, or fewer, are "expiring". */
  warnDays: number;
  entries: CalendarEntry[];
  /** Members whose intermediate could not be read from istiod, and why. */
  unknown: { cluster: string; reason: string }[];
  /** Why the removed intermediates could not be read, when they could not. */
  removedError?: string;
}

/**
 * Where a root rotation stands, read from what each istiod publishes (both roots, old
 * first) and which root its intermediate is under.
 *
 * @public
 */
export interface MeshRootRotation {
  /** The phase every member has finished, or `mixed` while a phase is under way. */
  phase: 'trust-both' | 'reissue' | 'mixed';
  /** What to run next, in a sentence. */
  next: string;
  members: {
    cluster: string;
    state: 'old' | 'trusts-both' | 'reissued' | 'unknown';
  }[];
}

/** @public */
export interface MeshView {
  meshId: string;
  members: ClusterMembership[];
  checks: MeshHealthCheck[];
  links: RemoteSecretLink[];
  /** Every ordered pair of distinct members. */
  trust: CrossClusterTrust[];
  calendar: CertificateCalendar;
  /** Present while a root rotation is under way: some member trusts two roots. */
  rootRotation?: MeshRootRotation;
}

/** @public */
export interface MembershipResponse {
  meshes: MeshView[];
  /** Every configured cluster, members or not, reachable or not. */
  clusters: ClusterMembership[];
}

/**
 * How a caller in one network reaches endpoints in another, as istiod programs it.
 *
 * @public
 */
export interface EndpointRoute {
  fromNetwork: string;
  /** "direct" on the same network; otherwise the gateway address and port 15443. */
  via: string;
  /** The endpoints callers in that network are sent: from another network, only those with a sidecar. */
  endpoints?: number;
  /** Endpoints istiod sends no caller in that network, and why. */
  leftOut?: { count: number; reason: string; fix: string };
}

/** @public */
export interface ServiceEndpoints {
  cluster: string;
  namespace: string;
  service: string;
  /** The Service's first port: the one the route panel asks istiod about. */
  port?: number;
  network?: string;
  ready: number;
  total: number;
  /** Ready endpoints whose pod has a sidecar (tlsMode istio): the only ones other networks reach. */
  mtls: number;
  routes: EndpointRoute[];
  /** Problems worth highlighting, e.g. a remote network with no gateway address. */
  problems: string[];
}

/**
 * One istiod's endpoints for one Service, per shard ("Kubernetes/<clusterName>"),
 * against what our own EndpointSlice reads say it should hold.
 *
 * @public
 */
export interface IstiodEndpointsCrossCheck {
  /** The cluster whose istiod was asked. */
  cluster: string;
  namespace: string;
  service: string;
  state: 'agrees' | 'disagrees' | 'unreachable';
  istiod: Record<string, number>;
  ours: Record<string, number>;
  detail: string;
}

/** @public */
export interface EntityEndpointsResponse {
  endpoints: ServiceEndpoints[];
  /** One per member whose istiod is installed, asked through a port-forward. */
  istiodCrossChecks: IstiodEndpointsCrossCheck[];
  /** For each member and Service, what a connected sidecar in that namespace is told. */
  routesTold: ServiceRoutesTold[];
  /** Clusters that could not be read; the rest of the answer stands. */
  unreachable: { cluster: string; error: string }[];
  /** Clusters with more matching Services than one answer carries: the first are shown. */
  truncated?: { cluster: string; shown: number }[];
}

/**
 * The entity annotations that find a component's workloads, as the kubernetes plugin
 * reads them.
 *
 * @public
 */
export interface EntityWorkloadQuery {
  kubernetesId?: string;
  /** Required: the status API lists Services in one namespace only. */
  namespace?: string;
  labelSelector?: string;
}

/**
 * The namespace annotation the kubernetes plugin reads beside
 * `backstage.io/kubernetes-id`; `@backstage/plugin-kubernetes-common` exports a constant
 * for the other two annotations but not for this one.
 *
 * @public
 */
export const KUBERNETES_NAMESPACE_ANNOTATION =
  'backstage.io/kubernetes-namespace';
