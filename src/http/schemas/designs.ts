/** The request schemas of /nodefilter and /validatedesign (see http/validate.ts). */
import * as v from 'valibot';
import { fieldsOf } from './fields.ts';
import { designRef, tooLong } from './design-ref.ts';
import { nodeFilter } from './node-filter.ts';

export const NodeFilterBody = fieldsOf('Request body must be a JSON object with design_ref and an optional node_filter.', {
  design_ref: designRef({ missing: 'Missing input required value: design_ref', tooLong: tooLong('design_ref') }),
  node_filter: nodeFilter,
});

/** Drydock's ValidationResource messages; a list reads as an object without `href`, as in Drydock. */
export const ValidateDesignBody = v.pipe(
  v.unknown(),
  v.check((x) => x !== undefined && x !== null, 'Request body must not be empty for validation.'),
  fieldsOf(
    'Request body must be a JSON object.',
    { href: designRef({ missing: 'The "href" key must be provided in the request body.', tooLong: tooLong('href') }) },
    { lists: true },
  ),
);
