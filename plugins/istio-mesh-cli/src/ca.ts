import { join } from 'node:path';
import {
  createIntermediateCa,
  createRootCa,
  FileRootCaSigner,
  readCacertsDir,
  validateCacerts,
  writeCacertsDir,
  writeRootCaDir,
} from '@istio-mesh/plugin-istio-mesh-node';
import {
  integerOption,
  parse,
  requireOption,
  UsageError,
  userPath,
} from './args';
import { calendar } from './calendar';

/** Each ca command's usage line, by the command's name. */
export const CA_COMMANDS: Record<string, string> = {
  root: 'istio-mesh ca root --out DIR [--org Istio] [--cn "Root CA"] [--days 3650] [--key-size 4096] [--force]',
  intermediate:
    'istio-mesh ca intermediate --root DIR --cluster NAME --out DIR/NAME [--org Istio] [--cn "Intermediate CA"] [--days 3650] [--key-size 4096] [--force]',
  verify: 'istio-mesh ca verify DIR/NAME',
  calendar:
    'istio-mesh ca calendar --config app-config.yaml [--config ...] [--mesh ID]',
};

export const CA_USAGE = `Usage:\n${Object.values(CA_COMMANDS)
  .map(line => `  ${line}`)
  .join('\n')}`;

type Out = (line: string) => void;

export async function runCa(args: string[], out: Out): Promise<number> {
  const [command, ...rest] = args;
  switch (command) {
    case 'root':
      return root(rest, out);
    case 'intermediate':
      return intermediate(rest, out);
    case 'verify':
      return verify(rest, out);
    case 'calendar':
      return calendar(rest, out);
    default:
      throw new UsageError(
        command ? `unknown ca command "${command}"` : 'missing ca command',
      );
  }
}

const certOptions = {
  out: { type: 'string' },
  org: { type: 'string' },
  cn: { type: 'string' },
  days: { type: 'string' },
  'key-size': { type: 'string' },
  force: { type: 'boolean' },
} as const;

async function root(args: string[], out: Out): Promise<number> {
  const { values } = parse(args, certOptions);
  const dir = userPath(requireOption(values, 'out'));
  const rootCa = await createRootCa({
    organization: values.org,
    commonName: values.cn,
    days: integerOption(values, 'days'),
    keySize: integerOption(values, 'key-size'),
  });
  await writeRootCaDir(dir, rootCa, values.force);
  out(
    `wrote ${join(dir, 'root-cert.pem')} and ${join(
      dir,
      'root-key.pem',
    )} (mode 0600)`,
  );
  out('keep root-key.pem offline: every cluster of the mesh trusts it');
  return 0;
}

async function intermediate(args: string[], out: Out): Promise<number> {
  const { values } = parse(args, {
    ...certOptions,
    root: { type: 'string' },
    cluster: { type: 'string' },
  });
  const cluster = requireOption(values, 'cluster');
  const dir = userPath(requireOption(values, 'out'));
  const bundle = await createIntermediateCa(
    new FileRootCaSigner(userPath(requireOption(values, 'root'))),
    {
      cluster,
      organization: values.org,
      commonName: values.cn,
      days: integerOption(values, 'days'),
      keySize: integerOption(values, 'key-size'),
    },
  );
  const report = validateCacerts({
    'ca-cert.pem': bundle.caCert,
    'ca-key.pem': bundle.caKey,
    'root-cert.pem': bundle.rootCert,
    'cert-chain.pem': bundle.certChain,
  });
  if (!report.ok) {
    report.errors.forEach(e =>
      out(`error: ${e.file} ${e.problem}; fix: ${e.fix}`),
    );
    return 1;
  }
  await writeCacertsDir(dir, bundle, values.force);
  out(`wrote cacerts for cluster ${cluster} to ${dir} (ca-key.pem mode 0600)`);
  return 0;
}

async function verify(args: string[], out: Out): Promise<number> {
  const { positionals } = parse(args, {}, 1);
  if (!positionals[0])
    throw new UsageError('verify needs the cacerts directory');
  const dir = userPath(positionals[0]);
  const report = validateCacerts(await readCacertsDir(dir));
  for (const e of report.errors)
    out(`error: ${e.file} ${e.problem}; fix: ${e.fix}`);
  for (const w of report.warnings)
    out(`warning: ${w.file} ${w.problem}; fix: ${w.fix}`);
  if (report.ok)
    out(
      `${dir}: cacerts bundle is valid${
        report.notAfter ? `, intermediate expires ${report.notAfter}` : ''
      }`,
    );
  return report.ok ? 0 : 1;
}
