import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { exampleStep } from './exampleStep';

export const remoteSecretsExamples: TemplateExample[] = [
  exampleStep('Exchange remote secrets for cluster west', {
    id: 'remote-secrets',
    action: 'istio:mesh:remote-secrets',
    input: {
      cluster: 'west',
      meshId: 'mesh1',
    },
  }),
];
