/** Input checks shared by the test server's resolvers: a GraphQL error, and a JSON-object argument. */
import { GraphQLError } from 'graphql';

export function fail(message: string): never {
  throw new GraphQLError(message);
}

export function parseJsonObject(text: string, field: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    fail(`${field} is not valid JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) fail(`${field} must be a JSON object`);
  return parsed as Record<string, unknown>;
}
