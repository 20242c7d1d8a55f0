/** What a W&B server said in an error body, for the error message. */

/** A short server message from an error body: GraphQL `errors[].message`, an `error` field, or text. */
export function serverMessage(body: string): string | undefined {
  const trimmed = body.trim();
  if (trimmed === '') return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (parsed !== null && typeof parsed === 'object') {
      const obj = parsed as { errors?: unknown; error?: unknown; message?: unknown };
      if (Array.isArray(obj.errors)) {
        const msgs = obj.errors
          .map((e) => (e !== null && typeof e === 'object' ? (e as { message?: unknown }).message : undefined))
          .filter((m): m is string => typeof m === 'string');
        if (msgs.length > 0) return msgs.join('; ').slice(0, 300);
      }
      if (typeof obj.error === 'string') return obj.error.slice(0, 300);
      if (obj.error !== null && typeof obj.error === 'object') {
        const m = (obj.error as { message?: unknown }).message;
        if (typeof m === 'string') return m.slice(0, 300);
      }
      if (typeof obj.message === 'string') return obj.message.slice(0, 300);
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  return trimmed.slice(0, 300);
}
