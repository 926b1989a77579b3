/**
 * Bytes of stdin → text lines, split exactly as `readline` (crlfDelay Infinity) splits them: a line ends
 * at LF, CRLF or a lone CR (also when CR and LF arrive in different chunks); the text after the last end
 * is a line of its own when not empty. Each line is decoded as UTF-8 on its own (an LF byte never occurs
 * inside a multi-byte sequence, so this decodes as a stream decoder would, invalid bytes → U+FFFD).
 *
 * Why not readline: it decodes every chunk into one string, scans it with a regex and emits one event
 * per line through an async queue; here a chunk is scanned for LF with `Buffer.indexOf` (memchr), lines are
 * decoded straight from the chunk, and a chunk without any CR (the usual case) takes no CR handling at all.
 * Reading 50,000 wide rows costs about half the CPU it did through readline (BENCHMARKS.md).
 */

const LF = 0x0a;
const CR = 0x0d;

export class LineSplitter {
  /** Bytes of a line not yet ended, in the chunks they came in (joined once, when the line ends). */
  private pending: Buffer[] = [];

  /**
   * The lines this chunk ends (those started in earlier chunks included), in order. With `bytes`, each
   * line's bytes are set at its index (a view of the chunk, not a copy), or undefined for lines a CR
   * split (rare: those have only their text); `bytes` is emptied first.
   */
  push(chunk: Buffer, bytes?: Array<Uint8Array | undefined>): string[] {
    const lines: string[] = [];
    if (bytes) bytes.length = 0;
    const hasCr = chunk.indexOf(CR) !== -1;
    let start = 0;
    let end = chunk.indexOf(LF);
    if (end !== -1 && this.pending.length > 0) {
      this.pending.push(chunk.subarray(0, end));
      const joined = Buffer.concat(this.pending);
      addLine(lines, joined.toString('utf8'), true, bytes, joined);
      this.pending = [];
      start = end + 1;
      end = chunk.indexOf(LF, start);
    }
    while (end !== -1) {
      const text = chunk.toString('utf8', start, end);
      if (hasCr) addLine(lines, text, true, bytes, chunk.subarray(start, end));
      else {
        lines.push(text);
        bytes?.push(chunk.subarray(start, end));
      }
      start = end + 1;
      end = chunk.indexOf(LF, start);
    }
    if (start < chunk.length) this.pending.push(start === 0 ? chunk : chunk.subarray(start));
    return lines;
  }

  /** The lines left when the input ends (the last one had no line end); `bytes` as in `push`. */
  end(bytes?: Array<Uint8Array | undefined>): string[] {
    if (bytes) bytes.length = 0;
    if (this.pending.length === 0) return [];
    const joined = Buffer.concat(this.pending);
    this.pending = [];
    const lines: string[] = [];
    addLine(lines, joined.toString('utf8'), false, bytes, joined);
    return lines;
  }
}

/**
 * Adds the lines of `text` (no LF in it) that a CR splits; `ended`: an LF followed it (so a last CR is
 * CRLF's). `raw`: text's bytes, given to `bytes` when no CR splits the text.
 */
function addLine(lines: string[], text: string, ended: boolean, bytes: Array<Uint8Array | undefined> | undefined, raw: Uint8Array): void {
  if (!text.includes('\r')) {
    if (ended || text !== '') {
      lines.push(text);
      bytes?.push(raw);
    }
    return;
  }
  const parts = (ended && text.endsWith('\r') ? text.slice(0, -1) : text).split('\r');
  // Unended text: a last CR ended the last line, and nothing follows it.
  if (!ended && parts[parts.length - 1] === '') parts.pop();
  lines.push(...parts);
  if (bytes) for (let i = 0; i < parts.length; i++) bytes.push(undefined);
}
