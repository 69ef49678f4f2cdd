export interface PemBlock {
  type: string;
  text: string;
  der: Buffer;
}

const BEGIN = /^-----BEGIN ([A-Z0-9 ]+)-----\s*$/;
const END = /^-----END ([A-Z0-9 ]+)-----\s*$/;

/**
 * Splits PEM text into its blocks, as Go's pem.Decode loop sees them: a BEGIN line, the
 * base64 body (header lines such as Proc-Type left out), the matching END line. One
 * pass over the lines, so a file of nothing but BEGIN lines costs no more than its size.
 */
export function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  let open: { type: string; lines: string[]; body: string[] } | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const begin = BEGIN.exec(line);
    if (begin) {
      open = { type: begin[1], lines: [line], body: [] };
      continue;
    }
    if (!open) continue;
    open.lines.push(line);
    const end = END.exec(line);
    if (end) {
      if (end[1] === open.type) {
        blocks.push({
          type: open.type,
          text: open.lines.join('\n'),
          der: Buffer.from(open.body.join('').replace(/\s+/g, ''), 'base64'),
        });
      }
      open = undefined;
    } else if (!line.includes(':')) {
      open.body.push(line);
    }
  }
  return blocks;
}
