import {
  ClusterMembership,
  remoteClusterRows,
} from '@istio-mesh/plugin-istio-mesh-common';
import { formatRemoteClusters } from './remoteClusters';

const east: ClusterMembership = {
  cluster: 'east',
  reachable: true,
  remoteSecrets: [],
  istiodView: {
    pod: { name: 'istiod-5d8f-abcde', revision: 'default' },
    clusters: [
      { id: 'east', secretName: '', syncStatus: 'synced' },
      {
        id: 'west',
        secretName: 'istio-system/istio-remote-secret-west',
        syncStatus: 'timeout',
      },
    ],
  },
};

describe('remote clusters, as istioctl remote-clusters prints them', () => {
  it('gives a row per cluster istiod reads, naming the istiod asked', () => {
    expect(remoteClusterRows(east)).toEqual([
      {
        name: 'east',
        secret: '',
        status: 'synced',
        istiod: 'istiod-5d8f-abcde',
        revision: 'default',
      },
      {
        name: 'west',
        secret: 'istio-system/istio-remote-secret-west',
        status: 'timeout',
        istiod: 'istiod-5d8f-abcde',
        revision: 'default',
      },
    ]);
  });

  it("lays the rows out in istioctl's columns", () => {
    expect(formatRemoteClusters(remoteClusterRows(east))).toEqual([
      'NAME     SECRET                                    STATUS      ISTIOD                REVISION',
      'east                                               synced      istiod-5d8f-abcde     default',
      'west     istio-system/istio-remote-secret-west     timeout     istiod-5d8f-abcde     default',
    ]);
  });

  it('has no rows where istiod was not asked', () => {
    expect(remoteClusterRows({ ...east, istiodView: undefined })).toEqual([]);
  });
});
