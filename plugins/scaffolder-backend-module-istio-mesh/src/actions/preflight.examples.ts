import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { exampleStep } from './exampleStep';

export const preflightExamples: TemplateExample[] = [
  exampleStep('Plan joining cluster east to mesh1', {
    id: 'preflight',
    action: 'istio:mesh:preflight',
    input: {
      cluster: 'east',
      meshId: 'mesh1',
      network: 'network-east',
      istioVersion: '1.30.2',
    },
  }),
  exampleStep(
    "Plan joining the cluster an EntityPicker chose, on its Resource's istio.io/network",
    {
      id: 'preflight',
      action: 'istio:mesh:preflight',
      input: {
        cluster: "${{ parameters.cluster | parseEntityRef | pick('name') }}",
        clusterEntityRef: '${{ parameters.cluster }}',
        meshId: 'mesh1',
      },
    },
  ),
];
