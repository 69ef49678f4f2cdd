import plugin from './alpha';

describe('istio-mesh frontend plugin', () => {
  it('has the shared plugin.pluginId', () => {
    expect(plugin.pluginId).toBe('istio-mesh');
  });
});
