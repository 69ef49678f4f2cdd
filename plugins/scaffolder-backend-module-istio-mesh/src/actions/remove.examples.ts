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
  exampleStep(
    'Remove cluster west, whose API server is gone for good, from every other member',
    {
      id: 'remove',
      action: 'istio:mesh:remove',
      input: {
        cluster: 'west',
        meshId: 'mesh1',
        force: true,
      },
    },
  ),
];
