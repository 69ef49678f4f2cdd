import { pemBlocks } from './pem';

const block = (type: string, body: string) =>
  `-----BEGIN ${type}-----\n${body}\n-----END ${type}-----\n`;

describe('pemBlocks', () => {
  it('reads each block with its type and DER, skipping text between blocks', () => {
    const text = `comment\n${block('CERTIFICATE', 'AQID')}junk\r\n${block(
      'PRIVATE KEY',
      'BAUG',
    )}`;
    const blocks = pemBlocks(text);
    expect(blocks.map(b => [b.type, [...b.der]])).toEqual([
      ['CERTIFICATE', [1, 2, 3]],
      ['PRIVATE KEY', [4, 5, 6]],
    ]);
    expect(blocks[0].text).toBe(block('CERTIFICATE', 'AQID').trimEnd());
  });

  it('leaves out header lines and blocks whose END does not match', () => {
    const encrypted = block(
      'RSA PRIVATE KEY',
      'Proc-Type: 4,ENCRYPTED\n\nAQID',
    );
    expect([...pemBlocks(encrypted)[0].der]).toEqual([1, 2, 3]);
    expect(pemBlocks('-----BEGIN A-----\nAQID\n-----END B-----\n')).toEqual([]);
  });

  it('reads 2 MiB of BEGIN lines in one pass and finds no block', () => {
    const line = '-----BEGIN CERTIFICATE-----\n';
    const text = line.repeat(Math.ceil((2 * 1024 * 1024) / line.length));
    expect(pemBlocks(text)).toEqual([]);
  });
});
