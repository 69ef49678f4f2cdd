export interface Config {
  /** The Istio mesh plugins: where the root CA lives, which clusters the actions act on. */
  istioMesh?: {
    /** Where the mesh root CA is kept; the portal reads its key only to sign intermediates. */
    rootCa?:
      | { type: 'file'; directory: string }
      | {
          type: 'kubernetesSecret';
          /** A cluster of istioMesh.clusters: the management cluster. */
          cluster: string;
          namespace: string;
          /** The Secret with root-cert.pem and root-key.pem, read only to sign. */
          secretName: string;
          /**
           * The ConfigMap beside it that publishes root-cert.pem, read whenever the root
           * certificate is needed; defaults to secretName.
           */
          certificateConfigMap?: string;
        };
    /**
     * Where a root rotation keeps the new root, in the same shapes as rootCa. Its first
     * phase makes the root there when there is none; once the rotation is done, this
     * becomes rootCa.
     */
    nextRootCa?:
      | { type: 'file'; directory: string }
      | {
          type: 'kubernetesSecret';
          cluster: string;
          namespace: string;
          secretName: string;
          certificateConfigMap?: string;
        };
    /**
     * Read by a permission policy, such as the demo backend's, that grants the
     * istio-mesh.admin permission.
     */
    permissions?: {
      /**
       * Catalog entity refs of the groups (or users) who may change the mesh: every
       * mesh template and action, dry runs included. A bare name is a group in the
       * default namespace.
       */
      admins?: string[];
    };
    /** Where Istio's helm charts come from. */
    charts?: {
      type: 'repo' | 'oci' | 'directory';
      /** Helm repository or OCI registry URL (repo, oci). */
      url?: string;
      /** Directory of packaged charts: base-<version>.tgz, istiod-…, gateway-… (directory). */
      path?: string;
      /** The chart version joins install unless the template names one. */
      version?: string;
    };
    helm?: {
      /** The helm 3 binary; defaults to helm on PATH. */
      binary?: string;
    };
    /** The Lease that serializes joins and removals mesh-wide. */
    lease?: {
      /** A cluster of istioMesh.clusters; defaults to the first. */
      cluster?: string;
      /** Defaults to istio-mesh; created if missing. */
      namespace?: string;
    };
    status?: {
      /**
       * How long the status API serves an answer from the cache (default 10); 0 turns
       * the cache off. A negative value is refused at startup.
       */
      cacheTtlSeconds?: number;
      /**
       * How many distinct endpoints answers the cache keeps (default 256); the oldest
       * is dropped past it.
       */
      maxCachedAnswers?: number;
      /**
       * How many endpoints reads (each a fan-out over every cluster) run at once
       * (default 4); a request for another is answered 429 with Retry-After.
       */
      maxConcurrentReads?: number;
      /**
       * How long the status API waits for one cluster (default 15); a slower one is
       * reported down, and its requests are aborted.
       */
      clusterTimeoutSeconds?: number;
    };
    timeouts?: {
      helmSeconds?: number;
      gatewayAddressSeconds?: number;
      leaseWaitSeconds?: number;
      /**
       * How long the mesh Lease lasts unrenewed (default 60). Its holder renews it every
       * sixth of that and stops its work after two thirds without a renewal; a waiter
       * takes it over once it has seen it unchanged this long, on its own clock.
       */
      leaseSeconds?: number;
      /** The bound on one Kubernetes API request (default 30). */
      kubeRequestSeconds?: number;
    };
    /**
     * Clusters the mesh actions may change, each named as in
     * kubernetes.clusterLocatorMethods, with stronger credentials than the kubernetes
     * plugin's: admin on a cluster that joins; Secrets in istio-system on the others.
     */
    clusters?: Array<{
      name: string;
      /** The API server address other clusters' istiods use; defaults to the plugin's url. */
      peerServer?: string;
      authProvider:
        | 'serviceAccount'
        | 'clientCertificate'
        | 'kubeconfig'
        | 'aws'
        | 'azure'
        | 'googleServiceAccount';
      /** @visibility secret */
      serviceAccountToken?: string;
      clientCertificateData?: string;
      /** @visibility secret */
      clientKeyData?: string;
      kubeconfigPath?: string;
      kubeconfigContext?: string;
      /** For aws: kubernetes.io/aws-assume-role, kubernetes.io/aws-external-id, kubernetes.io/x-k8s-aws-id. */
      authMetadata?: { [key: string]: string };
      /**
       * Overrides how the backend reaches istiod's /debug endpoints (clusterz, networkz,
       * endpointShardz): an address that reaches istiod's port 8080 or 15014 directly.
       * Unset, the backend port-forwards to a ready istiod pod through the API server,
       * as istioctl does, which needs `create` on `pods/portforward` in istio-system.
       */
      istiodDebugUrl?: string;
      /**
       * The cloud whose load balancer fronts the east-west gateway, which picks the
       * gateway Service's annotations. Defaults to the cloud of the cluster's
       * authProvider in the kubernetes plugin, else of the one here (aws: eks, azure:
       * aks, google or googleServiceAccount: gke), else generic.
       */
      provider?: 'eks' | 'aks' | 'gke' | 'generic';
      /** The cloud's internal load balancer, for peers that reach it over an interconnect. */
      internal?: boolean;
      /** The CIDRs that may reach the gateway: the peers' egress addresses. */
      loadBalancerSourceRanges?: string[];
      /** Extra values per chart; the join's own mesh values cannot be overridden. */
      chartValues?: {
        base?: object;
        istiod?: object;
        gateway?: object;
      };
    }>;
  };
}
