import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { exampleStep } from './exampleStep';

export const helmExamples: TemplateExample[] = [
  exampleStep('Install Istio 1.30.2 on cluster east', {
    id: 'helm',
    action: 'istio:mesh:helm',
    input: {
      cluster: 'east',
      meshId: 'mesh1',
      network: 'network-east',
      istioVersion: '1.30.2',
    },
  }),
];
