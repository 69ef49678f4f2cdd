import { l7LoadBalancerAnnotations } from './l7LoadBalancer';

describe('l7LoadBalancerAnnotations', () => {
  it('finds none in an L4 load balancer, an NLB with IP targets included', () => {
    expect(l7LoadBalancerAnnotations({})).toEqual([]);
    expect(
      l7LoadBalancerAnnotations({
        service: {
          annotations: {
            'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
            'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type':
              'ip',
            'service.beta.kubernetes.io/aws-load-balancer-backend-protocol':
              'tcp',
          },
        },
      }),
    ).toEqual([]);
  });

  it('finds HTTP listeners and TLS termination, in service.annotations or annotations', () => {
    expect(
      l7LoadBalancerAnnotations({
        service: {
          annotations: {
            'service.beta.kubernetes.io/aws-load-balancer-backend-protocol':
              'http',
          },
        },
        annotations: {
          'service.beta.kubernetes.io/aws-load-balancer-ssl-cert':
            'arn:aws:acm:eu-west-1:111122223333:certificate/x',
        },
      }),
    ).toEqual([
      'service.beta.kubernetes.io/aws-load-balancer-backend-protocol: http',
      'service.beta.kubernetes.io/aws-load-balancer-ssl-cert on every port',
    ]);
  });

  it('leaves a certificate alone when its ports spare the tls port', () => {
    const withPorts = (ports: string) =>
      l7LoadBalancerAnnotations({
        service: {
          annotations: {
            'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': 'arn:x',
            'service.beta.kubernetes.io/aws-load-balancer-ssl-ports': ports,
          },
        },
      });
    expect(withPorts('15021')).toEqual([]);
    expect(withPorts('15021, tls')).toEqual([
      'service.beta.kubernetes.io/aws-load-balancer-ssl-cert on ports 15021, tls',
    ]);
  });
});
