import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { exampleStep } from './exampleStep';

export const validateCacertsExamples: TemplateExample[] = [
  exampleStep('Validate the bundle in ./cacerts/east', {
    id: 'validate',
    action: 'istio:cacerts:validate',
    input: {
      path: 'cacerts/east',
    },
  }),
];
