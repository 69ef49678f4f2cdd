import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  StructuredMetadataTable,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import Grid from '@material-ui/core/Grid';
import useAsync from 'react-use/esm/useAsync';
import { istioMeshApiRef } from '../api';
import { CertificateCalendar } from './CertificateCalendar';
import { CheckList } from './CheckList';
import { JoinHint } from './JoinHint';
import { RemoteClustersTable } from './RemoteClustersTable';

/** The Mesh tab of a kubernetes-cluster Resource: its membership and its checks. */
export function ClusterMeshContent() {
  const { entity } = useEntity();
  const api = useApi(istioMeshApiRef);
  const { value, loading, error } = useAsync(() => api.membership(), [api]);
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  const name = entity.metadata.name;
  const cluster = value?.clusters.find(c => c.cluster === name);
  if (cluster && !cluster.reachable) {
    return (
      <ResponseErrorPanel
        title={`Cluster ${name} is down`}
        error={new Error(cluster.error ?? 'unreachable')}
      />
    );
  }
  const mesh = value?.meshes.find(m => m.members.some(c => c.cluster === name));
  if (!cluster || !mesh) {
    // A cluster that left still has its intermediate trusted by the mesh root.
    const leftFrom = value?.meshes.filter(m =>
      m.calendar.entries.some(
        e => e.role === 'removed-intermediate' && e.clusters.includes(name),
      ),
    );
    return (
      <Grid container spacing={3}>
        <Grid item xs={12}>
          <JoinHint
            title={`${name} is not in any mesh`}
            description="Join it to an Istio multi-primary, multi-network mesh from the portal."
          />
        </Grid>
        {leftFrom?.map(m => (
          <Grid item xs={12} key={m.meshId}>
            <CertificateCalendar
              meshId={m.meshId}
              calendar={m.calendar}
              cluster={name}
            />
          </Grid>
        ))}
      </Grid>
    );
  }
  const peers = mesh.links
    .filter(l => l.from === name)
    .map(l => `${l.to}${l.present ? '' : ' (missing)'}`);
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={6}>
        <InfoCard title="Mesh membership">
          <StructuredMetadataTable
            metadata={{
              mesh: cluster.joining
                ? `${mesh.meshId} (joining: remote secrets not exchanged yet)`
                : mesh.meshId,
              'cluster name': cluster.clusterName ?? 'Kubernetes',
              network: cluster.network ?? 'none',
              istiod: cluster.istiod
                ? `${cluster.istiod.version ?? ''} ${
                    cluster.istiod.readyReplicas
                  }/${cluster.istiod.replicas} ready`
                : 'not installed',
              'east-west gateway': cluster.gateway?.address
                ? `${cluster.gateway.address} (${cluster.gateway.ports
                    .map(p => p.port)
                    .join(', ')})`
                : 'no address',
              'remote secrets for': peers.length ? peers.join(', ') : 'none',
              root: cluster.rootFingerprint
                ? `sha256 ${cluster.rootFingerprint.slice(0, 16)}…`
                : 'not published yet',
            }}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <CheckList
          title="Checks for this cluster"
          checks={mesh.checks.filter(
            c => c.state === 'pass' || c.clusters.includes(name),
          )}
        />
      </Grid>
      <Grid item xs={12}>
        <RemoteClustersTable cluster={cluster} />
      </Grid>
      <Grid item xs={12}>
        <CertificateCalendar
          meshId={mesh.meshId}
          calendar={mesh.calendar}
          cluster={name}
        />
      </Grid>
    </Grid>
  );
}
