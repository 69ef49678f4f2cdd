import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { exampleStep } from './exampleStep';

export const cacertsExamples: TemplateExample[] = [
  exampleStep('Namespace and cacerts for cluster east', {
    id: 'cacerts',
    action: 'istio:mesh:cacerts',
    input: {
      cluster: 'east',
      network: 'network-east',
    },
  }),
];
