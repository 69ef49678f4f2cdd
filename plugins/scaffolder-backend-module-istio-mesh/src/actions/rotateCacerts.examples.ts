import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { exampleStep } from './exampleStep';

export const rotateCacertsExamples: TemplateExample[] = [
  exampleStep("Rotate cluster east's intermediate", {
    id: 'rotate',
    action: 'istio:mesh:rotate-cacerts',
    input: {
      cluster: 'east',
    },
  }),
];
