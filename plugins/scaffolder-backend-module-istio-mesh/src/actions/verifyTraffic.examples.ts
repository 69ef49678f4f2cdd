import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import { exampleStep } from './exampleStep';

export const verifyTrafficExamples: TemplateExample[] = [
  exampleStep('Prove cross-cluster routes in mesh1 with the default probe', {
    id: 'traffic',
    action: 'istio:mesh:verify-traffic',
    input: { meshId: 'mesh1' },
  }),
  exampleStep('Use mirrored images and keep the probe to look at it', {
    id: 'traffic',
    action: 'istio:mesh:verify-traffic',
    input: {
      meshId: 'mesh1',
      namespace: 'mesh-probe',
      helloworldImage: 'registry.example.com/istio/examples-helloworld-v1:1.0',
      curlImage: 'registry.example.com/curlimages/curl:8.16.0',
      keepProbe: true,
    },
  }),
];
