import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { exampleStep } from './exampleStep';

export const installExamples: TemplateExample[] = [
  exampleStep('Install Istio 1.30.2 into cluster east of mesh1', {
    id: 'install',
    action: 'istio:mesh:install',
    input: {
      cluster: 'east',
      meshId: 'mesh1',
      network: 'network-east',
      istioVersion: '1.30.2',
    },
  }),
];
