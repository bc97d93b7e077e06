/**
 * Bodies below this many bytes go as they are: at that size gzip saves a few hundred bytes at
 * most and still costs a compression stream per request.
 */
export const GZIP_MIN_BYTES = 1024;

/** A request body as it goes on the wire. */
export interface EncodedBody {
  body: string | Uint8Array<ArrayBuffer>;
  /** True when `body` is gzip (send `Content-Encoding: gzip`). */
  gzip: boolean;
}

/**
 * `text` gzipped with `CompressionStream` when it is at least `minBytes` bytes of UTF-8 and the
 * runtime has `CompressionStream` (browsers, Node 18+); else the text itself. A failing
 * compression also falls back to the text, since the server takes both.
 */
export async function encodeBody(text: string, minBytes: number = GZIP_MIN_BYTES): Promise<EncodedBody> {
  // UTF-8 takes at most 3 bytes per UTF-16 unit: a short text needs no encoding to tell.
  if (text.length * 3 < minBytes || typeof CompressionStream !== 'function' || typeof TextEncoder !== 'function') {
    return { body: text, gzip: false };
  }
  const bytes = new TextEncoder().encode(text);
  if (bytes.length < minBytes) {
    return { body: text, gzip: false };
  }
  try {
    return { body: await gzip(bytes), gzip: true };
  } catch {
    return { body: text, gzip: false };
  }
}

async function gzip(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new CompressionStream('gzip');
  const writer = stream.writable.getWriter();
  // Not awaited: the writes resolve only as the output is read below; their errors reach the reader.
  writer.write(bytes).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    length += value.length;
  }
  // One array with a known length: fetch then sends a Content-Length, not a streamed body.
  const out = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
