import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { exampleStep } from './exampleStep';

export const removeExamples: TemplateExample[] = [
  exampleStep('Remove cluster west and uninstall Istio from it', {
    id: 'remove',
    action: 'istio:mesh:remove',
    input: {
      cluster: 'west',
      uninstall: true,
    },
  }),
  exampleStep(
    'Remove cluster west, restarting any remaining istiod that still holds its gateway',
    {
      id: 'remove',
      action: 'istio:mesh:remove',
      input: {
        cluster: 'west',
        restartIstiodIfStale: true,
      },
    },
  ),
];
