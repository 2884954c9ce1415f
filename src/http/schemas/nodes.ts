/** The request schemas of /nodes (see http/validate.ts). */
import * as v from 'valibot';
import { fieldsOf, queryParam } from './fields.ts';

/** GET /nodes/{hostname}/builddata: Drydock's test, `latest` is true only when it reads TRUE in any case. */
export const NodeBuildDataQuery = fieldsOf('Invalid query', {
  latest: queryParam(
    (raw) => (raw ?? 'false').toUpperCase() === 'TRUE',
    v.pipe(v.optional(v.boolean(), false), v.description('true (in any case): the newest record per generator; anything else: all.')),
  ),
});
