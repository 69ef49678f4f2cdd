import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { exampleStep } from './exampleStep';

export const verifyExamples: TemplateExample[] = [
  exampleStep('Verify mesh1', {
    id: 'verify',
    action: 'istio:mesh:verify',
    input: {
      meshId: 'mesh1',
    },
  }),
];
