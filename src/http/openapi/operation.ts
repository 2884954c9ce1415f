/** What the API document says of one route beyond what the app's route table knows (see document.ts). */
import type * as v from 'valibot';

/** How a route's caller proves who it is (README, Authentication and policy). */
export type Access = 'open' | 'keystone' | 'agent-token' | 'node-key';

export interface Answer {
  description: string;
  /** The JSON answer; none for an empty one. */
  schema?: v.GenericSchema;
  /** Not JSON: the media type, described in words. */
  mediaType?: string;
}

export interface Operation {
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  /** Rules the handler checks itself (beyond the requirePolicy guard the route table shows). */
  policy?: string;
  /** The JSON body's valibot schema: the one the route validates with. */
  body?: v.GenericSchema;
  /** A body that is not a JSON object: its media types, each described by `body` or in words. */
  bodyTypes?: readonly string[];
  /** The query string's valibot schema (fieldsOf with queryParam fields). */
  query?: v.GenericSchema;
  responses: Record<number, Answer>;
}

/** A route as the app mounted it: Hono's method and pattern, and its requirePolicy rule if any. */
export interface MountedOperation {
  method: string;
  path: string;
  policy?: string;
}
