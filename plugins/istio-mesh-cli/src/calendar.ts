import { ConfigSources } from '@backstage/config-loader';
import {
  defaultCloudStrategies,
  formatCertificateCalendar,
  meshClustersFromConfig,
  readMeshStatus,
  refreshCredentials,
  removedIntermediatesLocationFromConfig,
} from '@istio-mesh/plugin-istio-mesh-node';
import { parse, UsageError, userPath } from './args';

type Out = (line: string) => void;

/**
 * `ca calendar`: the certificate calendar the portal shows, read the same way with the
 * portal's own app-config (its clusters, credentials and lease location). Exits 1 when
 * a certificate is expiring or expired, so that a scheduled job can alert on it.
 */
export async function calendar(args: string[], out: Out): Promise<number> {
  const { values } = parse(args, {
    config: { type: 'string', multiple: true },
    mesh: { type: 'string' },
  });
  if (!values.config?.length) {
    throw new UsageError(
      'calendar needs --config: the app-config files the portal runs with',
    );
  }
  const config = await ConfigSources.toConfig(
    ConfigSources.defaultForTargets({
      rootDir: userPath('.'),
      targets: values.config.map(path => ({
        type: 'path' as const,
        target: userPath(path),
      })),
    }),
  );
  config.close();
  const clusters = meshClustersFromConfig(
    config,
    defaultCloudStrategies(config),
  );
  await refreshCredentials({ clusters });
  const status = await readMeshStatus(
    clusters,
    removedIntermediatesLocationFromConfig(config, clusters),
  );
  const meshes = status.meshes.filter(
    m => !values.mesh || m.meshId === values.mesh,
  );
  if (meshes.length === 0) {
    out(
      values.mesh
        ? `no configured cluster is a member of mesh ${values.mesh}`
        : 'no configured cluster runs istiod with a mesh ID',
    );
    return 1;
  }
  for (const mesh of meshes) {
    out(`mesh ${mesh.meshId}`);
    formatCertificateCalendar(mesh.calendar).forEach(line => out(line));
  }
  const due = meshes.some(m =>
    m.calendar.entries.some(e => e.state !== 'valid'),
  );
  return due ? 1 : 0;
}
