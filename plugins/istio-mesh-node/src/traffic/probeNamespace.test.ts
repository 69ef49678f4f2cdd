import { MeshCluster } from '../clusters/meshCluster';
import {
  judgeProbeNamespace,
  PROBE_RUN_ANNOTATION,
  probeNamespacePlan,
  probeNamespaceProblem,
} from './probeNamespace';
import { TRAFFIC_PROBE_LABEL } from './probeManifests';

describe('probeNamespaceProblem', () => {
  it.each(['default', 'kube-system', 'kube-public', 'kube-node-lease'])(
    'refuses %s, which Kubernetes keeps',
    ns => {
      expect(probeNamespaceProblem(ns, [])).toMatch(
        new RegExp(`^input namespace: ${ns} is a namespace Kubernetes keeps`),
      );
    },
  );

  it("refuses istio-system and the namespaces the mesh's config names", () => {
    for (const ns of ['istio-system', 'istio-mesh', 'mesh-root']) {
      expect(probeNamespaceProblem(ns, ['istio-mesh', 'mesh-root'])).toMatch(
        /holds the mesh's own components.*mesh-probe by default/,
      );
    }
  });

  it('takes any other name', () => {
    expect(probeNamespaceProblem('mesh-probe', ['istio-mesh'])).toBeUndefined();
  });
});

describe('judgeProbeNamespace', () => {
  it('tells an absent, a probe-made, a terminating and a foreign namespace apart', () => {
    expect(judgeProbeNamespace(undefined)).toEqual({ state: 'absent' });
    expect(
      judgeProbeNamespace({
        metadata: { annotations: { [PROBE_RUN_ANNOTATION]: 'task 1' } },
      }),
    ).toEqual({ state: 'probe', run: 'task 1' });
    expect(
      judgeProbeNamespace({
        metadata: {
          deletionTimestamp: new Date(),
          annotations: { [PROBE_RUN_ANNOTATION]: 'task 1' },
        },
      }),
    ).toEqual({ state: 'terminating' });
  });

  it("calls a namespace foreign when only the probe's labels say otherwise: earlier versions labelled namespaces they did not create", () => {
    expect(
      judgeProbeNamespace({
        metadata: {
          labels: {
            [TRAFFIC_PROBE_LABEL]: 'true',
            'istio-injection': 'enabled',
          },
        },
      }),
    ).toEqual({ state: 'foreign' });
  });
});

describe('probeNamespacePlan', () => {
  const cluster = (name: string) => ({ name } as MeshCluster);

  it('creates where none exists and takes over what an earlier probe run left', () => {
    const plan = probeNamespacePlan('mesh-probe', [
      { cluster: cluster('east'), state: { state: 'absent' } },
      { cluster: cluster('west'), state: { state: 'probe', run: 'task 1' } },
    ]);
    expect(plan.map(p => [p.cluster.name, p.action, p.from])).toEqual([
      ['east', 'create', undefined],
      ['west', 'take over', 'task 1'],
    ]);
  });

  it('refuses the whole probe when any member has the namespace and no probe made it, naming every such member and the fix', () => {
    expect(() =>
      probeNamespacePlan('mesh-demo', [
        { cluster: cluster('east'), state: { state: 'foreign' } },
        { cluster: cluster('west'), state: { state: 'absent' } },
        { cluster: cluster('cluster3'), state: { state: 'foreign' } },
      ]),
    ).toThrow(
      /cluster east, step traffic probe: Namespace mesh-demo already exists in east, cluster3 and was not created by the traffic probe; nothing was changed.*name a probe namespace that does not exist/,
    );
  });
});
