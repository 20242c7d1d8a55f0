/**
 * Reading a whole input we do need (the CLI's context on stdin, an MCP request body over HTTP), with
 * one limit for both: a stream that passes it is refused as soon as it does, not after it is held.
 */

/** The largest context a call takes (CLI stdin, --json, --input; an MCP HTTP request body); a history row's own limit is about 10 MiB. */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;

/**
 * The stream's bytes, or `tooLarge()` thrown once more than `maxBytes` arrived.
 *
 * @example
 * const text = (await readAll(req, MAX_INPUT_BYTES, () => new Error('body too large'))).toString('utf8');
 */
export async function readAll(stream: AsyncIterable<unknown>, maxBytes: number, tooLarge: () => Error): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(b);
  }
  return Buffer.concat(chunks, size);
}
