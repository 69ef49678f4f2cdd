import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

function openssl(cwd: string, ...args: string[]) {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

/**
 * One cluster's PKI, made with Debian's openssl: a cluster CA, the API server's serving
 * certificate for loopback, an admin client certificate in system:masters, and the
 * service-account signing key. Each cluster gets its own, so their CAs differ.
 */
export function makeClusterPki(dir: string, cluster: string) {
  makeCa(dir, 'ca', `${cluster}-cluster-ca`);
  writeFileSync(
    join(dir, 'apiserver.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,IP:10.96.0.1\n' +
      'extendedKeyUsage=serverAuth\n',
  );
  issue(dir, 'apiserver', `/CN=kube-apiserver`, 'apiserver.ext');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  issue(dir, 'admin', '/O=system:masters/CN=local-admin', 'client.ext');
  openssl(dir, 'genrsa', '-out', 'sa.key', '2048');
  openssl(dir, 'rsa', '-in', 'sa.key', '-pubout', '-out', 'sa.pub');
  makeEtcdPki(dir, cluster);
}

/**
 * A CA of its own and a serving certificate for 127.0.0.1 and localhost it signed:
 * `<name>-ca.crt`, `<name>.crt`, `<name>.key`. For a local server its clients verify
 * as production clients verify theirs.
 */
export function makeLoopbackServerPki(dir: string, name: string) {
  makeCa(dir, `${name}-ca`, `local-${name}-ca`);
  writeFileSync(
    join(dir, `${name}.ext`),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
  );
  issue(dir, name, `/CN=${name}`, `${name}.ext`, `${name}-ca`);
}

/**
 * etcd's own CA, its serving and peer certificate for loopback, and the API server's
 * client certificate: etcd takes only clients with a certificate from this CA, so a
 * local user cannot read Secrets from etcd around the API server's RBAC, and no
 * certificate of the cluster CA opens it.
 */
function makeEtcdPki(dir: string, cluster: string) {
  makeCa(dir, 'etcd-ca', `${cluster}-etcd-ca`);
  writeFileSync(
    join(dir, 'etcd-server.ext'),
    'subjectAltName=IP:127.0.0.1,DNS:localhost\n' +
      'extendedKeyUsage=serverAuth,clientAuth\n',
  );
  issue(dir, 'etcd-server', '/CN=etcd', 'etcd-server.ext', 'etcd-ca');
  issue(
    dir,
    'apiserver-etcd-client',
    '/CN=kube-apiserver-etcd-client',
    'client.ext',
    'etcd-ca',
  );
}

/** A self-signed CA, `<name>.crt` and `<name>.key`. */
function makeCa(dir: string, name: string, commonName: string) {
  openssl(
    dir,
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.crt`,
    '-days',
    '365',
    '-subj',
    `/CN=${commonName}`,
  );
}

function issue(
  dir: string,
  name: string,
  subject: string,
  ext: string,
  ca = 'ca',
) {
  openssl(
    dir,
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    `${name}.key`,
    '-out',
    `${name}.csr`,
    '-subj',
    subject,
  );
  openssl(
    dir,
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.crt`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-out',
    `${name}.crt`,
    '-days',
    '365',
    '-extfile',
    ext,
  );
}
