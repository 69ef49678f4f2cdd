import {
  IstiodState,
  onlyRoutesThroughLeft,
  staleFindings,
} from './istiodFreshness';

const gateway = (cluster: string) => ({
  Network: `network-${cluster}`,
  Cluster: cluster,
  Addr: '127.1.0.2',
  Port: 15443,
});

const shards = (counts: Record<string, number>) => ({
  'reviews.mesh-demo.svc.cluster.local': {
    'mesh-demo': {
      Shards: Object.fromEntries(
        Object.entries(counts).map(([c, n]) => [
          `Kubernetes/${c}`,
          Array(n).fill({}),
        ]),
      ),
    },
  },
});

const fresh = (self: string, members: string[]): IstiodState => ({
  clusterName: self,
  clusters: members.map(id => ({ id, secretName: '', syncStatus: 'synced' })),
  gateways: members.map(gateway),
  shards: shards(Object.fromEntries(members.map(m => [m, 1]))),
});

describe('staleFindings', () => {
  it('finds nothing when every istiod holds every member', () => {
    const all = ['east', 'west'].map(c => fresh(c, ['east', 'west']));
    expect(all.map(s => staleFindings(s, all, new Set(['west'])))).toEqual([
      [],
      [],
    ]);
  });

  it("names a removed cluster's gateway that an istiod still routes through, whatever the change", () => {
    const east = fresh('east', ['east', 'west']);
    east.gateways!.push(gateway('cluster3'));
    const all = [east, fresh('west', ['east', 'west'])];
    expect(staleFindings(east, all, new Set(['west']))).toEqual([
      "still routes network network-cluster3 through cluster3's gateway 127.1.0.2:15443, though cluster3 is not a member",
    ]);
  });

  it("names a member whose endpoints or gateway an istiod lost, judged by that member's own istiod", () => {
    const east = fresh('east', ['east', 'west']);
    east.shards = shards({ east: 1 });
    east.gateways = [gateway('east')];
    east.clusters![1].syncStatus = 'timeout';
    const all = [east, fresh('west', ['east', 'west'])];
    expect(staleFindings(east, all, new Set(['west']))).toEqual([
      'west is timeout in /debug/clusterz',
      "no endpoints of west in /debug/endpointShardz, though west's own istiod holds some",
      "no gateway of west in /debug/networkz, though west's own istiod has one",
    ]);
  });

  it('expects no endpoints of a member that has none', () => {
    const west = fresh('west', ['east', 'west']);
    west.shards = shards({});
    const east = fresh('east', ['east', 'west']);
    east.shards = shards({ east: 1 });
    expect(staleFindings(east, [east, west], new Set(['west']))).toEqual([]);
  });

  it('reports an istiod that did not answer', () => {
    const down = { clusterName: 'east', error: 'no ready istiod pod' };
    expect(staleFindings(down, [down], new Set())).toEqual([
      'no ready istiod pod',
    ]);
  });

  it('leaves a pair of members the change did not touch to the change that links them', () => {
    // cluster3 joins in another task, which links it to east once this one lets go of
    // the mesh Lease; this change linked west to both.
    const east = fresh('east', ['east', 'west']);
    const west = fresh('west', ['east', 'west', 'cluster3']);
    const cluster3 = fresh('cluster3', ['west', 'cluster3']);
    const all = [east, west, cluster3];
    const changed = new Set(['west']);
    expect(all.map(s => staleFindings(s, all, changed))).toEqual([[], [], []]);
    expect(staleFindings(east, all, new Set(['cluster3']))).toEqual([
      'cluster3 is missing in /debug/clusterz',
      "no endpoints of cluster3 in /debug/endpointShardz, though cluster3's own istiod holds some",
      "no gateway of cluster3 in /debug/networkz, though cluster3's own istiod has one",
    ]);
  });
});

describe('onlyRoutesThroughLeft', () => {
  it("is true when an istiod's one staleness is the removed cluster's gateway: the tutorial's two-member mesh after a removal", () => {
    const east = fresh('east', ['east']);
    east.gateways!.push(gateway('west'));
    const findings = staleFindings(east, [east], new Set(['west']));
    expect(onlyRoutesThroughLeft(findings, 'west')).toBe(true);
  });

  it('is false for anything else stale, or a route through another cluster', () => {
    const east = fresh('east', ['east', 'cluster3']);
    east.gateways!.push(gateway('west'));
    east.clusters = [];
    const all = [east, fresh('cluster3', ['east', 'cluster3'])];
    const findings = staleFindings(east, all, new Set(['west', 'cluster3']));
    expect(onlyRoutesThroughLeft(findings, 'west')).toBe(false);
    expect(
      onlyRoutesThroughLeft(
        staleFindings(east, [east], new Set(['west'])).slice(-1),
        'cluster3',
      ),
    ).toBe(false);
    expect(onlyRoutesThroughLeft([], 'west')).toBe(false);
  });
});
