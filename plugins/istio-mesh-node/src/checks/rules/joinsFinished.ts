import { MeshRule } from '../rule';

/**
 * A cluster whose join has installed Istio and not yet exchanged remote secrets is
 * neither linked nor missing: another join running at the same time, or one that
 * stopped before its exchange. The other rules judge it once its exchange is done, so
 * a join verified meanwhile is not failed for someone else's half-done one.
 */
export const joinsFinished: MeshRule = {
  id: 'joins-finished',
  title: 'Every join has exchanged its remote secrets',
  asksIstiod: false,
  judge(members) {
    const joining = members.filter(m => m.joining).map(m => m.cluster);
    if (joining.length === 0) {
      return {
        state: 'pass',
        detail: `all ${members.length} members have exchanged remote secrets`,
        clusters: [],
      };
    }
    return {
      state: 'pending',
      detail: `${joining.join(
        ', ',
      )}: Istio is installed and the remote secrets are not exchanged yet, so the other checks leave ${
        joining.length > 1 ? 'them' : 'it'
      } out until they are`,
      fix: 'if no join of it is running, run "Add cluster to mesh" for it again, which finishes the exchange, or remove it from the mesh',
      clusters: joining,
    };
  },
};
