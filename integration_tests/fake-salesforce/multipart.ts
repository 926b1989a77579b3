/** Minimal multipart/form-data parser for the create-with-data request (reference §1.3; quoted boundary accepted). */

export interface Part {
  name: string;
  headers: Record<string, string>;
  data: Buffer;
}

export function parseMultipart(body: Buffer, contentType: string): Part[] | undefined {
  const m = /boundary=(?:\\?"([^"\\]+)\\?"|([^;\s]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return undefined;
  const delim = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delim);
  while (pos >= 0) {
    let start = pos + delim.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    if (body[start] === 0x0d) start += 1;
    if (body[start] === 0x0a) start += 1;
    const next = body.indexOf(delim, start);
    if (next < 0) break;
    let end = next;
    if (body[end - 1] === 0x0a) end -= 1;
    if (body[end - 1] === 0x0d) end -= 1;
    const chunk = body.subarray(start, end);
    let sep = chunk.indexOf('\r\n\r\n');
    let sepLen = 4;
    if (sep < 0) {
      sep = chunk.indexOf('\n\n');
      sepLen = 2;
    }
    if (sep >= 0) {
      const headers: Record<string, string> = {};
      for (const line of chunk.subarray(0, sep).toString('utf8').split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      const name = /name="([^"]*)"/.exec(headers['content-disposition'] ?? '')?.[1] ?? '';
      parts.push({ name, headers, data: chunk.subarray(sep + sepLen) });
    }
    pos = next;
  }
  return parts;
}
