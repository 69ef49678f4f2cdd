import { MeshEnvironment } from '../environment/meshEnvironment';
import { verifyCrossClusterTraffic } from './verifyTraffic';

describe('verifyCrossClusterTraffic', () => {
  const touched: string[] = [];
  const env = {
    meshNamespaces: ['istio-mesh'],
    clusters: [
      {
        name: 'east',
        kubeConfig: () => {
          touched.push('east');
          throw new Error('no cluster in a unit test');
        },
      },
    ],
  } as unknown as MeshEnvironment;
  const log = { info: () => undefined, warn: () => undefined };

  it.each(['istio-system', 'kube-system', 'default', 'istio-mesh'])(
    'refuses the probe namespace %s before reading any cluster, dry run or not',
    async namespace => {
      for (const dryRun of [true, false]) {
        await expect(
          verifyCrossClusterTraffic(
            env,
            { meshId: 'mesh1', namespace, dryRun, run: 'task 1' },
            log,
          ),
        ).rejects.toThrow(
          new RegExp(`^nothing was changed: input namespace: ${namespace} `),
        );
      }
      expect(touched).toEqual([]);
    },
  );
});
