import { createSocket } from 'node:dgram';

/**
 * Where the clusters' DNS stand-in listens: a loopback address of its own, on port 53
 * since resolv.conf cannot name another port. Nothing else on the machine uses it.
 */
export const CLUSTER_DNS_ADDRESS = '127.53.0.1';

/**
 * The zone it answers: a name whose first label ends in an IPv4 loopback address
 * written with dashes, such as `istio-eastwestgateway-127-2-0-2.lb.mesh.test`, is an
 * A record for that address. A load balancer's hostname, as EKS gives one, that
 * resolves only to loopback.
 */
const LOOPBACK_HOSTNAME_ZONE = 'lb.mesh.test';

const TYPE_A = 1;
const CLASS_IN = 1;
const RCODE_NXDOMAIN = 3;
const RCODE_FORMERR = 1;
const TTL_SECONDS = 30;

/** The loopback address a name in the zone stands for, or undefined. */
export function loopbackAddressOf(name: string): string | undefined {
  const zone = `.${LOOPBACK_HOSTNAME_ZONE}`;
  const lower = name.toLowerCase().replace(/\.$/, '');
  if (!lower.endsWith(zone)) return undefined;
  const label = lower.slice(0, -zone.length);
  const m = /(?:^|-)127-(\d{1,3})-(\d{1,3})-(\d{1,3})$/.exec(label);
  if (!m || label.includes('.')) return undefined;
  const octets = m.slice(1).map(Number);
  return octets.every(o => o <= 255) ? `127.${octets.join('.')}` : undefined;
}

/** The question's end offset and its name, or undefined when it is malformed. */
function readQuestion(query: Buffer) {
  const labels: string[] = [];
  let offset = 12;
  for (;;) {
    const length = query[offset];
    if (length === undefined || length > 63) return undefined;
    offset += 1;
    if (length === 0) break;
    labels.push(query.subarray(offset, offset + length).toString('ascii'));
    offset += length;
  }
  if (offset + 4 > query.length) return undefined;
  return {
    name: labels.join('.'),
    type: query.readUInt16BE(offset),
    klass: query.readUInt16BE(offset + 2),
    end: offset + 4,
  };
}

/**
 * Answers one DNS query (RFC 1035 §4.1): an A record for a name of the zone, no record
 * for its other types, NXDOMAIN for any other name. Never recursive: it knows nothing
 * off loopback.
 */
export function answerQuery(query: Buffer): Buffer | undefined {
  if (query.length < 12) return undefined;
  const question =
    query.readUInt16BE(4) === 1 ? readQuestion(query) : undefined;
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  // QR, the query's opcode and RD, AA; RA stays 0.
  const flags = 0x8000 | (query.readUInt16BE(2) & 0x7900) | 0x0400;
  if (!question) {
    header.writeUInt16BE(flags | RCODE_FORMERR, 2);
    return header;
  }
  const address = loopbackAddressOf(question.name);
  const answers: Buffer[] = [];
  if (address && question.type === TYPE_A && question.klass === CLASS_IN) {
    const answer = Buffer.alloc(16);
    answer.writeUInt16BE(0xc00c, 0);
    answer.writeUInt16BE(TYPE_A, 2);
    answer.writeUInt16BE(CLASS_IN, 4);
    answer.writeUInt32BE(TTL_SECONDS, 6);
    answer.writeUInt16BE(4, 10);
    address.split('.').forEach((o, i) => answer.writeUInt8(Number(o), 12 + i));
    answers.push(answer);
  }
  header.writeUInt16BE(flags | (address ? 0 : RCODE_NXDOMAIN), 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  return Buffer.concat([header, query.subarray(12, question.end), ...answers]);
}

/**
 * Plays the cluster DNS's part for the local istiods, which the supervisor gives a
 * resolv.conf naming this server, as a kubelet gives a pod one naming CoreDNS.
 */
export function runClusterDns(): Promise<never> {
  return new Promise((_, reject) => {
    const socket = createSocket('udp4');
    socket.on('error', reject);
    socket.on('message', (query, peer) => {
      const answer = answerQuery(query);
      if (answer) socket.send(answer, peer.port, peer.address);
    });
    socket.bind(53, CLUSTER_DNS_ADDRESS);
  });
}
