import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { exampleStep } from './exampleStep';

export const rotateRootExamples: TemplateExample[] = [
  exampleStep(
    'Trust the new root beside the old one in every member of mesh1',
    {
      id: 'rotate',
      action: 'istio:mesh:rotate-root',
      input: { meshId: 'mesh1', phase: 'trust-both' },
    },
  ),
  exampleStep(
    'Drop the old root, once workload certificates have turned over',
    {
      id: 'rotate',
      action: 'istio:mesh:rotate-root',
      input: {
        meshId: 'mesh1',
        phase: 'drop-old-root',
        workloadsTurnedOver: true,
      },
    },
  ),
];
