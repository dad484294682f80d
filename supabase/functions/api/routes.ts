/**
 * The route table of REST /v1 — one entry per operation, pure data. The router (router.ts) matches
 * requests against it and the OpenAPI document (openapi.ts) is generated from it, so a route cannot exist
 * without being documented (the tests compare both).
 */
import type { z } from 'zod';
import * as S from './schemas.ts';

export type Method = 'GET' | 'POST';
/** What an API key needs for a route (`admin` includes every other scope). */
export type Scope = 'read' | 'queue' | 'bookings' | 'admin';
/**
 * `public`: anyone (no credentials needed); `signedIn`: a user's JWT or an API key; `staff`: a staff
 * member's JWT or an API key of the clinic (the database decides for a JWT; the key's clinic must match).
 */
export type Access = 'public' | 'signedIn' | 'staff';

export interface Route {
  readonly operationId: string;
  readonly method: Method;
  /** OpenAPI template under /v1, e.g. `/v1/clinics/{clinicId}/slots`. */
  readonly path: string;
  readonly summary: string;
  readonly tag: 'Clinics' | 'Bookings' | 'Visits' | 'Queue' | 'Meta';
  readonly access: Access;
  readonly scope: Scope | null;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  readonly status: 200 | 201;
  /** Response body schema; null for non-JSON answers (the reference page). */
  readonly response: z.ZodType | null;
  /** Queue changes: answers with an ETag and honours If-Match (412 when stale). */
  readonly etag?: boolean;
  /** Expected failures, besides 401/403/429 that every protected route can answer. */
  readonly errors: readonly number[];
}

const entryStep = (op: string, verb: string, summary: string): Route => ({
  operationId: op,
  method: 'POST',
  path: `/v1/clinics/{clinicId}/queue/entries/{entryId}/${verb}`,
  summary,
  tag: 'Queue',
  access: 'staff',
  scope: 'queue',
  params: S.EntryParamSchema,
  body: S.EntryBodySchema,
  status: 200,
  response: S.QueueStepSchema,
  etag: true,
  errors: [404, 409, 412, 422],
});

export const ROUTES: readonly Route[] = [
  {
    operationId: 'getOpenApi',
    method: 'GET',
    path: '/v1/openapi.json',
    summary: 'This API as an OpenAPI 3.1 document',
    tag: 'Meta',
    access: 'public',
    scope: null,
    status: 200,
    response: null,
    errors: [],
  },
  {
    operationId: 'getReference',
    method: 'GET',
    path: '/v1/docs',
    summary: 'Reference page (HTML)',
    tag: 'Meta',
    access: 'public',
    scope: null,
    status: 200,
    response: null,
    errors: [],
  },
  {
    operationId: 'getClinic',
    method: 'GET',
    path: '/v1/clinics/{clinic}',
    summary: "A clinic's public profile (by id or slug)",
    tag: 'Clinics',
    access: 'public',
    scope: null,
    params: S.ClinicRefParamSchema,
    status: 200,
    response: S.ClinicSchema,
    errors: [404],
  },
  {
    operationId: 'getClinicHours',
    method: 'GET',
    path: '/v1/clinics/{clinicId}/hours',
    summary: 'Weekly working hours',
    tag: 'Clinics',
    access: 'public',
    scope: null,
    params: S.ClinicParamSchema,
    status: 200,
    response: S.HoursSchema,
    errors: [404, 422],
  },
  {
    operationId: 'listVisitTypes',
    method: 'GET',
    path: '/v1/clinics/{clinicId}/visit-types',
    summary: 'Visit (appointment) types',
    tag: 'Clinics',
    access: 'public',
    scope: null,
    params: S.ClinicParamSchema,
    status: 200,
    response: S.VisitTypesSchema,
    errors: [404, 422],
  },
  {
    operationId: 'listFreeSlots',
    method: 'GET',
    path: '/v1/clinics/{clinicId}/slots',
    summary: 'Free slots (notice, horizon, closed dates and capacity applied)',
    tag: 'Clinics',
    access: 'public',
    scope: null,
    params: S.ClinicParamSchema,
    query: S.SlotsQuerySchema,
    status: 200,
    response: S.SlotPageSchema,
    errors: [404, 422],
  },
  {
    operationId: 'createBooking',
    method: 'POST',
    path: '/v1/bookings',
    summary: 'Book a slot (a signed-in patient for themself; staff or a key for a patient)',
    tag: 'Bookings',
    access: 'signedIn',
    scope: 'bookings',
    body: S.BookingCreateSchema,
    status: 201,
    response: S.BookingCreatedSchema,
    errors: [404, 409, 422],
  },
  {
    operationId: 'getBooking',
    method: 'GET',
    path: '/v1/bookings/{bookingId}',
    summary: 'One booking (own for a patient; the clinic’s for staff and keys)',
    tag: 'Bookings',
    access: 'signedIn',
    scope: 'read',
    params: S.BookingParamSchema,
    status: 200,
    response: S.BookingSchema,
    errors: [404, 422],
  },
  {
    operationId: 'cancelBooking',
    method: 'POST',
    path: '/v1/bookings/{bookingId}/cancel',
    summary: 'Cancel a booking',
    tag: 'Bookings',
    access: 'signedIn',
    scope: 'bookings',
    params: S.BookingParamSchema,
    body: S.CancelBodySchema,
    status: 200,
    response: S.CancelledSchema,
    errors: [404, 409, 422],
  },
  {
    operationId: 'getVisitStatus',
    method: 'GET',
    path: '/v1/visits/{token}',
    summary: "A visit's live status through its private tracking token",
    tag: 'Visits',
    access: 'public',
    scope: null,
    params: S.TokenParamSchema,
    status: 200,
    response: S.VisitStatusSchema,
    errors: [404],
  },
  {
    operationId: 'getQueue',
    method: 'GET',
    path: '/v1/clinics/{clinicId}/queue',
    summary: "Today's queue (staff)",
    tag: 'Queue',
    access: 'staff',
    scope: 'read',
    params: S.ClinicParamSchema,
    query: S.PageQuerySchema,
    status: 200,
    response: S.QueueSchema,
    etag: true,
    errors: [404, 409, 422],
  },
  {
    operationId: 'callNext',
    method: 'POST',
    path: '/v1/clinics/{clinicId}/queue/call-next',
    summary: 'Call the next present patient (for a practitioner or "any")',
    tag: 'Queue',
    access: 'staff',
    scope: 'queue',
    params: S.ClinicParamSchema,
    body: S.CallNextBodySchema,
    status: 200,
    response: S.QueueStepSchema,
    etag: true,
    errors: [409, 412, 422],
  },
  entryStep('startVisit', 'start', 'Start the visit of a called patient'),
  entryStep('finishVisit', 'finish', 'Finish a visit'),
  entryStep('markAbsent', 'absent', 'Mark a called or waiting patient absent (grace period starts)'),
];
