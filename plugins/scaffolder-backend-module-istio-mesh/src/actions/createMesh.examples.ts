import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { exampleStep } from './exampleStep';

export const createMeshExamples: TemplateExample[] = [
  exampleStep('Create mesh1 from three clusters, two installs at a time', {
    id: 'create',
    action: 'istio:mesh:create',
    input: {
      clusters: ['east', 'west', 'cluster3'],
      meshId: 'mesh1',
      concurrency: 2,
    },
  }),
  exampleStep('Join two catalog clusters to an existing mesh', {
    id: 'create',
    action: 'istio:mesh:create',
    input: {
      clusters: ['resource:default/aks-eu', 'resource:default/eks-us'],
      meshId: 'mesh1',
      istioVersion: '1.30.2',
    },
  }),
];
