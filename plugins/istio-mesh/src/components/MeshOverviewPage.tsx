import {
  Content,
  Header,
  InfoCard,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import { ClusterMembership } from '@istio-mesh/plugin-istio-mesh-common';
import Grid from '@material-ui/core/Grid';
import { Fragment } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { istioMeshApiRef } from '../api';
import { CheckList } from './CheckList';
import { JoinHint } from './JoinHint';
import { RemoteClustersTable } from './RemoteClustersTable';
import { Topology } from './Topology';
import { TrustMatrix } from './TrustMatrix';
import { CertificateCalendar } from './CertificateCalendar';
import { RootRotation } from './RootRotation';

function Members(props: { members: ClusterMembership[]; title: string }) {
  return (
    <Table<ClusterMembership>
      title={props.title}
      options={{ paging: false, search: false, padding: 'dense' }}
      data={props.members}
      columns={[
        {
          title: 'Cluster',
          render: c => (
            <EntityRefLink
              entityRef={{
                kind: 'resource',
                namespace: 'default',
                name: c.cluster,
              }}
              defaultKind="resource"
            />
          ),
        },
        { title: 'Cluster name', render: c => c.clusterName ?? '' },
        { title: 'Network', render: c => c.network ?? '' },
        {
          title: 'istiod',
          render: c =>
            c.istiod
              ? `${c.istiod.readyReplicas}/${c.istiod.replicas} ready`
              : '',
        },
        { title: 'Gateway', render: c => c.gateway?.address ?? '' },
        {
          title: 'State',
          render: c => (c.reachable ? 'reachable' : `down: ${c.error}`),
        },
      ]}
    />
  );
}

function Body() {
  const api = useApi(istioMeshApiRef);
  const { value, loading, error } = useAsync(() => api.membership(), [api]);
  if (loading) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value || value.meshes.length === 0) {
    return (
      <JoinHint
        title="No mesh yet"
        description="No configured cluster runs istiod with a mesh ID."
      />
    );
  }
  const outside = value.clusters.filter(c => !c.meshId);
  return (
    <Grid container spacing={3}>
      {value.meshes.map(mesh => (
        <Fragment key={mesh.meshId}>
          <Grid item xs={12}>
            <InfoCard title={`Mesh ${mesh.meshId}`}>
              <Topology mesh={mesh} />
            </InfoCard>
          </Grid>
          <Grid item xs={12}>
            <Members
              title={`Members of ${mesh.meshId}`}
              members={mesh.members}
            />
          </Grid>
          <Grid item xs={12}>
            <CheckList checks={mesh.checks} />
          </Grid>
          <Grid item xs={12}>
            <TrustMatrix
              meshId={mesh.meshId}
              clusters={mesh.members.map(m => m.cluster)}
              trust={mesh.trust}
            />
          </Grid>
          {mesh.rootRotation && (
            <Grid item xs={12}>
              <RootRotation meshId={mesh.meshId} rotation={mesh.rootRotation} />
            </Grid>
          )}
          <Grid item xs={12}>
            <CertificateCalendar
              meshId={mesh.meshId}
              calendar={mesh.calendar}
            />
          </Grid>
          {mesh.members.map(member => (
            <Grid item xs={12} lg={6} key={member.cluster}>
              <RemoteClustersTable cluster={member} />
            </Grid>
          ))}
        </Fragment>
      ))}
      {outside.length > 0 && (
        <Grid item xs={12}>
          <Members title="Clusters outside any mesh" members={outside} />
        </Grid>
      )}
    </Grid>
  );
}

/** Every mesh and member, its health checks, and a picture of its topology. */
export function MeshOverviewPage() {
  return (
    <Page themeId="tool">
      <Header
        title="Service mesh"
        subtitle="Istio multi-primary, multi-network"
      />
      <Content>
        <Body />
      </Content>
    </Page>
  );
}
