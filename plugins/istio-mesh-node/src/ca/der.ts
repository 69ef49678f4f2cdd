/** One DER element: its tag byte and where its contents lie in the buffer. */
interface Element {
  tag: number;
  start: number;
  end: number;
}

const SEQUENCE = 0x30;
const BOOLEAN = 0x01;
const INTEGER = 0x02;
const OID = 0x06;
const OCTET_STRING = 0x04;
const BIT_STRING = 0x03;
/** [3] EXPLICIT, constructed: the extensions of a TBSCertificate. */
const EXTENSIONS = 0xa3;
/** [0] EXPLICIT, constructed: the version of a TBSCertificate. */
const VERSION = 0xa0;

const KEY_USAGE = '2.5.29.15';
const BASIC_CONSTRAINTS = '2.5.29.19';

function element(der: Buffer, offset: number): Element {
  const tag = der[offset];
  let length = der[offset + 1];
  let start = offset + 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4) throw new Error('unsupported DER length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + der[start + i];
    start += bytes;
  }
  const end = start + length;
  if (tag === undefined || end > der.length) throw new Error('truncated DER');
  return { tag, start, end };
}

function children(der: Buffer, parent: Element): Element[] {
  const out: Element[] = [];
  for (let offset = parent.start; offset < parent.end; ) {
    const child = element(der, offset);
    out.push(child);
    offset = child.end;
  }
  return out;
}

function oid(der: Buffer, e: Element): string {
  const bytes = der.subarray(e.start, e.end);
  const parts = [Math.floor(bytes[0] / 40), bytes[0] % 40];
  let value = 0;
  for (const b of bytes.subarray(1)) {
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

function unsigned(der: Buffer, e: Element): number {
  let value = 0;
  for (const b of der.subarray(e.start, e.end)) value = value * 256 + b;
  return value;
}

/** What X.509 says about a certificate that Node's X509Certificate does not tell. */
export interface CertificateFields {
  /** The serial's sign as DER encodes it (two's complement), which Go checks. */
  serialSign: 'negative' | 'zero' | 'positive';
  /** The signature algorithm's OID. */
  signatureOid: string;
  /** keyCertSign in keyUsage; undefined when the certificate has no keyUsage. */
  keyCertSign?: boolean;
  /** basicConstraints' cA flag. */
  ca: boolean;
  /** basicConstraints' pathLenConstraint, when set. */
  pathLen?: number;
}

/**
 * Reads a certificate's serial, signature algorithm, keyUsage and basicConstraints from
 * its DER (RFC 5280 §4.1), in one pass over its top-level elements.
 */
export function certificateFields(der: Buffer): CertificateFields {
  const certificate = element(der, 0);
  const [tbs, signatureAlgorithm] = children(der, certificate);
  if (certificate.tag !== SEQUENCE || tbs?.tag !== SEQUENCE) {
    throw new Error('not an X.509 certificate');
  }
  const fields = children(der, tbs);
  const serial = fields[fields[0].tag === VERSION ? 1 : 0];
  if (serial.tag !== INTEGER) throw new Error('no serial number');
  const serialBytes = der.subarray(serial.start, serial.end);
  let serialSign: CertificateFields['serialSign'] = 'positive';
  if (serialBytes[0] & 0x80) serialSign = 'negative';
  else if (serialBytes.every(b => b === 0)) serialSign = 'zero';
  const result: CertificateFields = {
    ca: false,
    serialSign,
    signatureOid: oid(der, children(der, signatureAlgorithm)[0]),
  };
  const extensions = fields.find(f => f.tag === EXTENSIONS);
  if (!extensions) return result;
  for (const extension of children(der, children(der, extensions)[0])) {
    const parts = children(der, extension);
    const id = oid(der, parts[0]);
    const value = parts.find(p => p.tag === OCTET_STRING);
    if (!value || parts[0].tag !== OID) continue;
    const inner = element(der, value.start);
    if (id === KEY_USAGE && inner.tag === BIT_STRING) {
      // The first content byte counts unused bits; keyCertSign is bit 5 of the next.
      const first = der[inner.start + 1] ?? 0;
      result.keyCertSign = (first & 0x04) !== 0;
    }
    if (id === BASIC_CONSTRAINTS && inner.tag === SEQUENCE) {
      const flag = children(der, inner).find(c => c.tag === BOOLEAN);
      result.ca = !!flag && der[flag.start] !== 0;
      const pathLen = children(der, inner).find(c => c.tag === INTEGER);
      if (pathLen) result.pathLen = unsigned(der, pathLen);
    }
  }
  return result;
}
