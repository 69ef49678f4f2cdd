import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { exampleStep } from './exampleStep';

export const crossNetworkGatewayExamples: TemplateExample[] = [
  exampleStep("Expose cluster east's services to other networks", {
    id: 'gateway',
    action: 'istio:mesh:cross-network-gateway',
    input: {
      cluster: 'east',
    },
  }),
];
