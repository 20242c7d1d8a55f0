/**
 * Reading response bodies we do not need in full (webhook answers, error bodies of the W&B client):
 * at most a fixed number of bytes, then the rest is cancelled, so a huge or endless body costs
 * neither memory nor the whole timeout.
 */

/** The most of an unneeded response body that is ever read. */
export const MAX_UNNEEDED_BODY_BYTES = 64 * 1024;

/** The first `maxBytes` of a body as text (UTF-8, a cut character replaced); the rest is cancelled. */
export async function readBoundedText(res: Response, maxBytes: number = MAX_UNNEEDED_BODY_BYTES): Promise<{ text: string; truncated: boolean }> {
  const body = res.body;
  if (body === null) return { text: '', truncated: false };
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = maxBytes - size;
      if (value.byteLength >= room) {
        chunks.push(value.subarray(0, room));
        size += room;
        truncated = value.byteLength > room;
        break;
      }
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    // Not awaited: cancelling only tells the transport to drop the connection.
    reader.cancel().catch(() => undefined);
  }
  if (!truncated && size === maxBytes) truncated = true;
  return { text: new TextDecoder().decode(Buffer.concat(chunks, size)), truncated };
}
