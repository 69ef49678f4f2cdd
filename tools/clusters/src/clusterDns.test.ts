import { answerQuery, loopbackAddressOf } from './clusterDns';

function query(name: string, type: number, id = 0x1234): Buffer {
  const labels = name
    .split('.')
    .map(l => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
  const header = Buffer.from([
    id >> 8,
    id & 0xff,
    0x01,
    0x00,
    0,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
  const tail = Buffer.from([0, 0, type, 0, 1]);
  return Buffer.concat([header, ...labels, tail]);
}

describe('the cluster DNS stand-in', () => {
  it('reads a loopback address from a name of its zone, and nothing else', () => {
    expect(
      loopbackAddressOf('istio-eastwestgateway-127-2-0-2.lb.mesh.test'),
    ).toBe('127.2.0.2');
    expect(loopbackAddressOf('127-3-0-2.lb.mesh.test.')).toBe('127.3.0.2');
    expect(loopbackAddressOf('gw-10-0-0-1.lb.mesh.test')).toBeUndefined();
    expect(loopbackAddressOf('gw-127-2-0-2.example.com')).toBeUndefined();
    expect(loopbackAddressOf('a.gw-127-2-0-2.lb.mesh.test')).toBeUndefined();
    expect(loopbackAddressOf('gw-127-2-0-300.lb.mesh.test')).toBeUndefined();
  });

  it('answers an A query with the address, echoing the id and question', () => {
    const q = query('gw-127-2-0-2.lb.mesh.test', 1);
    const a = answerQuery(q)!;
    expect(a.readUInt16BE(0)).toBe(0x1234);
    expect(a.readUInt16BE(2) & 0x800f).toBe(0x8000);
    expect(a.readUInt16BE(6)).toBe(1);
    expect(a.subarray(12, q.length)).toEqual(q.subarray(12));
    expect([...a.subarray(a.length - 4)]).toEqual([127, 2, 0, 2]);
  });

  it('gives no record for AAAA and NXDOMAIN for a name outside its zone', () => {
    const aaaa = answerQuery(query('gw-127-2-0-2.lb.mesh.test', 28))!;
    expect(aaaa.readUInt16BE(2) & 0x000f).toBe(0);
    expect(aaaa.readUInt16BE(6)).toBe(0);
    const other = answerQuery(query('example.com', 1))!;
    expect(other.readUInt16BE(2) & 0x000f).toBe(3);
    expect(other.readUInt16BE(6)).toBe(0);
  });
});
