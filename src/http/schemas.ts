// Schema pieces shared by the API routes. Each validates requests and documents /openapi.json.
import { Type, type TSchema, type TUnsafe } from 'typebox';

/** A string from a fixed list, as a plain JSON-schema enum (clear errors, clear OpenAPI). */
export function StringEnum<const T extends readonly string[]>(values: T, options: Record<string, unknown> = {}): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

export const Limit = Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'Page size (at most 100)' });
export const Offset = Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 });
/** A record's id in the path (`/…/:id`). */
export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      fields: Type.Optional(Type.Record(Type.String(), Type.String())),
    }),
  },
  { $id: 'Error', description: 'Every non-2xx answer (api-v1.md)' },
);

export function Page<T extends TSchema>(item: T) {
  return Type.Object({ total: Type.Integer(), items: Type.Array(item) });
}

/** The error answers a route can give, for its OpenAPI entry. */
export function errors(...statuses: number[]): Record<number, typeof ErrorResponse> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorResponse]));
}
