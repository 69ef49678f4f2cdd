import {
  ChannelCredentials,
  Client,
  Metadata,
  ServiceError,
  status,
} from '@grpc/grpc-js';
import protobuf from 'protobufjs';

/**
 * The name istiod's serving certificate carries (docs/istio-procedure.md §10): through a
 * port-forward the address is 127.0.0.1, so TLS checks this name instead.
 */
const ISTIOD_SERVICE_NAME = 'istiod.istio-system.svc';

/** istiod's TLS gRPC port, where its CA answers (the plaintext 15010 has none). */
export const ISTIOD_SECURE_GRPC_PORT = 15012;

const CREATE_CERTIFICATE =
  '/istio.v1.auth.IstioCertificateService/CreateCertificate';

/**
 * The two messages of istio/api security/v1alpha1/ca.proto this client sends and reads,
 * declared by field number: only csr (1) and validity_duration (3) are sent, since
 * istiod ignores the metadata Struct's identity fields.
 */
const messages = (() => {
  const root = new protobuf.Root();
  const request = new protobuf.Type('IstioCertificateRequest')
    .add(new protobuf.Field('csr', 1, 'string'))
    .add(new protobuf.Field('validityDuration', 3, 'int64'));
  const response = new protobuf.Type('IstioCertificateResponse').add(
    new protobuf.Field('certChain', 1, 'string', 'repeated'),
  );
  root.define('istio.v1.auth').add(request).add(response);
  return { request, response };
})();

/** What a CreateCertificate call needs; the token and CSR are never logged or kept. */
export interface CertificateRequest {
  /** istiod's address: a local port-forward to its 15012. */
  address: { host: string; port: number };
  /** The root bundle istiod's serving certificate must chain to. */
  rootBundlePem: string;
  /** A ServiceAccount token with audience istio-ca. */
  token: string;
  csrPem: string;
  validitySeconds: number;
  timeoutMs: number;
}

/**
 * Asks istiod's CA for a workload certificate, as the Istio agent does: gRPC over TLS,
 * the token as a bearer credential. The answer is istiod's cert_chain: the leaf, each
 * certificate of cert-chain.pem, and last the whole root bundle as one element.
 */
export async function createCertificate(
  request: CertificateRequest,
): Promise<string[]> {
  const client = new Client(
    `${request.address.host}:${request.address.port}`,
    ChannelCredentials.createSsl(Buffer.from(request.rootBundlePem)),
    {
      'grpc.ssl_target_name_override': ISTIOD_SERVICE_NAME,
      'grpc.default_authority': ISTIOD_SERVICE_NAME,
    },
  );
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${request.token}`);
  try {
    return await new Promise<string[]>((resolve, reject) => {
      client.makeUnaryRequest(
        CREATE_CERTIFICATE,
        (body: object) => Buffer.from(messages.request.encode(body).finish()),
        (bytes: Buffer) =>
          messages.response.toObject(messages.response.decode(bytes), {
            arrays: true,
          }) as { certChain: string[] },
        {
          csr: request.csrPem,
          validityDuration: request.validitySeconds,
        },
        metadata,
        { deadline: Date.now() + request.timeoutMs },
        (error: ServiceError | null, answer?: { certChain: string[] }) =>
          error
            ? reject(new Error(`${status[error.code]}: ${error.details}`))
            : resolve(answer!.certChain),
      );
    });
  } finally {
    client.close();
  }
}
