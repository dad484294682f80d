/**
 * The OpenAPI 3.1 document of REST /v1, generated from the route table and its zod schemas
 * (`z.toJSONSchema`): named schemas (`.meta({ id })`) become components, parameters come from each
 * route's params/query schema, errors are RFC 9457 problems. Nothing here is written by hand per route.
 */
import { z } from 'zod';
import { ROUTES, type Route } from './routes.ts';
import { ProblemSchema } from './schemas.ts';

type Json = Record<string, unknown>;

const REF = (id: string) => `#/components/schemas/${id}`;

const jsonSchema = (schema: z.core.$ZodType): Json =>
  z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  }) as Json;

/** A route schema → `$ref` when it is a named component, else the schema inline (without $schema). */
const schemaOrRef = (schema: z.core.$ZodType): Json => {
  const id = z.globalRegistry.get(schema)?.id;
  if (id) return { $ref: REF(id) };
  const { $schema: _s, ...rest } = jsonSchema(schema);
  return rest;
};

const parameters = (route: Route): Json[] => {
  const out: Json[] = [];
  const add = (where: 'path' | 'query', obj: z.ZodObject | undefined) => {
    if (!obj) return;
    const js = jsonSchema(obj) as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(js.properties ?? {})) {
      const { description, ...s } = schema as Json & { description?: string };
      out.push({
        name,
        in: where,
        required: where === 'path' || (js.required ?? []).includes(name),
        schema: s,
        ...(description ? { description } : {}),
      });
    }
  };
  add('path', route.params);
  add('query', route.query);
  if (route.method === 'POST')
    out.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: true,
      description:
        'Unique per intended operation (e.g. a UUID). A repeat with the same key and body returns the first response (`Idempotent-Replayed: true`); the same key with another body is 422.',
      schema: { type: 'string', minLength: 1, maxLength: 255 },
    });
  if (route.etag && route.method === 'POST')
    out.push({
      name: 'If-Match',
      in: 'header',
      required: false,
      description: "The queue's ETag you last read; 412 when the queue changed since.",
      schema: { type: 'string' },
    });
  return out;
};

const problem = (description: string): Json => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: REF('Problem') } } },
});

const ERROR_TEXT: Record<number, string> = {
  400: 'Bad request (e.g. Idempotency-Key missing)',
  401: 'No or invalid credentials',
  403: 'Not allowed (role, scope, or another clinic)',
  404: 'Not found',
  409: 'Conflict with the current state (coded)',
  410: 'Gone (e.g. a tracking link a day past its visit: VISIT.LINK_EXPIRED)',
  412: 'The queue changed since your If-Match version',
  422: 'Invalid input (issues listed)',
  429: 'Rate limit of the API key exceeded (see Retry-After)',
};

const RATE_HEADERS: Json = {
  'RateLimit-Limit': { description: 'Requests per minute of this API key', schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'Requests left in the window', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until the window resets', schema: { type: 'integer' } },
};

const operation = (route: Route): Json => {
  const responses: Json = {};
  const okHeaders: Json = { ...(route.access === 'public' ? {} : RATE_HEADERS) };
  if (route.etag) okHeaders['ETag'] = { description: "The queue's version", schema: { type: 'string' } };
  if (route.status === 201)
    okHeaders['Location'] = { description: 'The created resource', schema: { type: 'string' } };
  responses[String(route.status)] = {
    description: route.summary,
    ...(Object.keys(okHeaders).length ? { headers: okHeaders } : {}),
    // 204: no content
    ...(route.status === 204
      ? {}
      : {
          content:
            route.response === null
              ? route.operationId === 'getReference'
                ? { 'text/html': { schema: { type: 'string' } } }
                : { 'application/json': { schema: { type: 'object' } } }
              : { 'application/json': { schema: schemaOrRef(route.response) } },
        }),
  };
  const codes = new Set<number>(route.errors);
  if (route.access !== 'public') [401, 403, 429].forEach((c) => codes.add(c));
  if (route.method === 'POST') [400, 409, 422].forEach((c) => codes.add(c));
  // a body that is not JSON is 400 VALIDATION.MALFORMED_JSON
  if (route.method === 'PUT') codes.add(400);
  for (const c of [...codes].sort()) {
    responses[String(c)] = {
      ...problem(ERROR_TEXT[c] ?? 'Error'),
      ...(c === 429 ? { headers: { 'Retry-After': { schema: { type: 'integer' } }, ...RATE_HEADERS } } : {}),
    };
  }
  return {
    operationId: route.operationId,
    summary: route.summary,
    tags: [route.tag],
    ...(route.access === 'public' ? { security: [] } : {}),
    ...(route.scope ? { 'x-scope': route.scope } : {}),
    parameters: parameters(route),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: schemaOrRef(route.body) } },
          },
        }
      : {}),
    responses,
  };
};

/** Every named schema (`.meta({ id })`, registered when schemas.ts is imported), as components. */
const components = (): Json => {
  const all = z.toJSONSchema(z.globalRegistry, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
    uri: REF,
  }) as { schemas: Record<string, Json> };
  const schemas: Record<string, Json> = {};
  for (const [id, s] of Object.entries(all.schemas)) {
    const { $schema: _s, $id: _i, ...rest } = s as Json;
    schemas[id] = rest;
  }
  return schemas;
};

export const buildOpenApi = (serverUrl: string): Json => {
  void ProblemSchema; // registered by import: the Problem component
  const paths: Record<string, Json> = {};
  for (const r of ROUTES) {
    const p = (paths[r.path] ??= {});
    p[r.method.toLowerCase()] = operation(r);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'QueueMed API',
      version: '1.0.0',
      description:
        'REST /v1 for clinics, bookings, visit status and the live queue. Authenticate with a user JWT (`Authorization: Bearer <jwt>`) or a clinic API key (`Authorization: Bearer qmk_…`). Errors are RFC 9457 problems with a stable `code`.',
    },
    servers: [{ url: serverUrl }],
    security: [{ bearer: [] }],
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            "A Supabase user JWT (acts as that user) or a clinic API key `qmk_…` (acts as the key's clinic, within its scopes).",
        },
      },
      schemas: components(),
    },
    paths,
  };
};
