export interface PemBlock {
  type: string;
  text: string;
  der: Buffer;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** Splits PEM text into its blocks, as Go's pem.Decode loop sees them. */
export function pemBlocks(text: string): PemBlock[] {
  return [...text.matchAll(PEM_BLOCK)].map(m => {
    const body = m[2]
      .split('\n')
      .filter(line => !line.includes(':'))
      .join('');
    return {
      type: m[1],
      text: m[0],
      der: Buffer.from(body.replace(/\s+/g, ''), 'base64'),
    };
  });
}
