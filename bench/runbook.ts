/**
 * The join as the runbook does it by hand: openssl as Istio's tools/certs Makefile,
 * kubectl, helm and istioctl. The baseline bench/join.ts compares the template against.
 */
import {
  Binaries,
  kubeconfigPath,
  runningClusters,
} from '@istio-mesh/local-clusters';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { harnessChartValues } from '../tools/clusters/src/chartValues';

const EXPOSE_SERVICES = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata:
  name: cross-network-gateway
spec:
  selector:
    istio: eastwestgateway
  servers:
    - port:
        number: 15443
        name: tls
        protocol: TLS
      tls:
        mode: AUTO_PASSTHROUGH
      hosts:
        - "*.local"
`;

function intermediateConf(cluster: string): string {
  return `[ req ]
encrypt_key = no
prompt = no
utf8 = yes
default_md = sha256
default_bits = 4096
req_extensions = req_ext
x509_extensions = req_ext
distinguished_name = req_dn
[ req_ext ]
subjectKeyIdentifier = hash
basicConstraints = critical, CA:true, pathlen:0
keyUsage = critical, digitalSignature, nonRepudiation, keyEncipherment, keyCertSign
subjectAltName=@san
[ san ]
DNS.1 = istiod.istio-system.svc
[ req_dn ]
O = Istio
CN = Intermediate CA
L = ${cluster}
`;
}

export interface RunbookOptions {
  bins: Binaries;
  rootDir: string;
  workDir: string;
  chartValues: (cluster: string) => { base: string[]; istiod: string[] };
  server: (cluster: string) => string;
}

export function runbook(o: RunbookOptions) {
  const sh = (cmd: string, args: string[], input?: string) =>
    execFileSync(cmd, args, {
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  const kubectl = (ctx: string, ...args: string[]) =>
    sh(o.bins.kubectl, [
      '--kubeconfig',
      kubeconfigPath,
      '--context',
      ctx,
      ...args,
    ]);
  const kubectlApply = (ctx: string, yaml: string, ...args: string[]) =>
    sh(
      o.bins.kubectl,
      [
        '--kubeconfig',
        kubeconfigPath,
        '--context',
        ctx,
        'apply',
        '-f',
        '-',
        ...args,
      ],
      yaml,
    );
  const helm = (ctx: string, ...args: string[]) =>
    sh(o.bins.helm, [
      ...args,
      '--kubeconfig',
      kubeconfigPath,
      '--kube-context',
      ctx,
    ]);
  const chart = (name: string) => o.bins.istioCharts[name as 'base'];
  const remoteSecret = (ctx: string) =>
    sh(o.bins.istioctl, [
      'create-remote-secret',
      '--kubeconfig',
      kubeconfigPath,
      '--context',
      ctx,
      '--name',
      ctx,
      '--server',
      o.server(ctx),
      '--istioNamespace',
      'istio-system',
    ]);

  return {
    preflight(ctx: string) {
      kubectl(ctx, 'version', '-o', 'json');
      sh(o.bins.helm, ['version', '--short']);
    },
    cacerts(ctx: string, network: string) {
      const dir = join(o.workDir, ctx);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'intermediate.conf'), intermediateConf(ctx));
      const root = (f: string) => join(o.rootDir, f);
      sh('openssl', ['genrsa', '-out', join(dir, 'ca-key.pem'), '4096']);
      sh('openssl', [
        'req',
        '-sha256',
        '-new',
        '-config',
        join(dir, 'intermediate.conf'),
        '-key',
        join(dir, 'ca-key.pem'),
        '-out',
        join(dir, 'cluster-ca.csr'),
      ]);
      sh('openssl', [
        'x509',
        '-req',
        '-sha256',
        '-days',
        '3650',
        '-CA',
        root('root-cert.pem'),
        '-CAkey',
        root('root-key.pem'),
        '-CAcreateserial',
        '-CAserial',
        join(dir, 'root-cert.srl'),
        '-extensions',
        'req_ext',
        '-extfile',
        join(dir, 'intermediate.conf'),
        '-in',
        join(dir, 'cluster-ca.csr'),
        '-out',
        join(dir, 'ca-cert.pem'),
      ]);
      sh('bash', [
        '-c',
        `cat "${dir}/ca-cert.pem" "${root(
          'root-cert.pem',
        )}" > "${dir}/cert-chain.pem"; cp "${root('root-cert.pem')}" "${dir}/"`,
      ]);
      kubectl(ctx, 'create', 'namespace', 'istio-system');
      kubectl(
        ctx,
        'label',
        'namespace',
        'istio-system',
        `topology.istio.io/network=${network}`,
      );
      kubectl(
        ctx,
        'create',
        'secret',
        'generic',
        'cacerts',
        '-n',
        'istio-system',
        ...['ca-cert.pem', 'ca-key.pem', 'root-cert.pem', 'cert-chain.pem'].map(
          f => `--from-file=${join(dir, f)}`,
        ),
      );
    },
    helm(ctx: string, network: string) {
      helm(
        ctx,
        'upgrade',
        '--install',
        'istio-base',
        chart('base'),
        '-n',
        'istio-system',
        ...o.chartValues(ctx).base,
        '--wait',
      );
      helm(
        ctx,
        'upgrade',
        '--install',
        'istiod',
        chart('istiod'),
        '-n',
        'istio-system',
        '--set',
        'global.meshID=mesh1',
        '--set',
        `global.multiCluster.clusterName=${ctx}`,
        '--set',
        `global.network=${network}`,
        ...o.chartValues(ctx).istiod,
        '--wait',
      );
      helm(
        ctx,
        'upgrade',
        '--install',
        'istio-eastwestgateway',
        chart('gateway'),
        '-n',
        'istio-system',
        '--set',
        'name=istio-eastwestgateway',
        '--set',
        `networkGateway=${network}`,
        '--wait',
      );
      for (;;) {
        const ip = kubectl(
          ctx,
          'get',
          'svc',
          'istio-eastwestgateway',
          '-n',
          'istio-system',
          '-o',
          'jsonpath={.status.loadBalancer.ingress[0].ip}',
        );
        if (ip) break;
      }
    },
    gateway(ctx: string) {
      kubectlApply(ctx, EXPOSE_SERVICES, '-n', 'istio-system');
    },
    remoteSecrets(ctx: string, members: string[]) {
      for (const m of members) {
        kubectlApply(ctx, remoteSecret(m));
        kubectlApply(m, remoteSecret(ctx));
      }
    },
    verify(members: string[]) {
      for (const m of members) {
        kubectl(
          m,
          'get',
          'secrets',
          '-n',
          'istio-system',
          '-l',
          'istio/multiCluster=true',
        );
        kubectl(m, 'get', 'svc', 'istio-eastwestgateway', '-n', 'istio-system');
      }
    },
  };
}

/** The runbook on the running local clusters, with the values their istiods need. */
export function localRunbook(bins: Binaries, rootDir: string, workDir: string) {
  const clusters = runningClusters();
  return runbook({
    bins,
    rootDir,
    workDir,
    chartValues: cluster => {
      const values = harnessChartValues(
        clusters.find(c => c.name === cluster)!.istiodPorts,
      );
      return {
        base: ['--set', `base.validationURL=${values.base.base.validationURL}`],
        istiod: [
          '--set',
          `base.validationURL=${values.istiod.base.validationURL}`,
          '--set',
          `istiodRemote.injectionURL=${values.istiod.istiodRemote.injectionURL}`,
          '--set',
          'pilot.env.ISTIOD_CUSTOM_HOST=127.0.0.1',
        ],
      };
    },
    server: c => clusters.find(x => x.name === c)!.server,
  });
}
