import * as v from 'valibot';
import { nodeFilterProblem } from '../../services/nodefilter.ts';
import { documentedAs } from './fields.ts';

const join = v.picklist(['intersection', 'union']);
const names = v.nullable(v.array(v.string()));

/** Drydock's node filter set, as the API document shows it (design/filters.ts reads it). */
const NodeFilterShape = v.pipe(
  v.strictObject({
    filter_set_type: join,
    filter_set: v.optional(v.array(
      v.strictObject({
        filter_type: join,
        node_names: v.optional(names),
        node_tags: v.optional(names),
        node_labels: v.optional(v.record(v.string(), v.string())),
        rack_names: v.optional(names),
        rack_labels: v.optional(v.record(v.string(), v.string())),
      }),
    )),
  }),
  v.description('Selects nodes of the design; absent or null selects every node.'),
);

/** An optional node_filter: absent or null is none; anything else must be a valid filter set. Kept as sent. */
export const nodeFilter = documentedAs(
  v.pipe(
    v.unknown(),
    v.rawCheck(({ dataset, addIssue }) => {
      const problem = dataset.typed ? nodeFilterProblem(dataset.value) : null;
      if (problem !== null) addIssue({ message: `Invalid node_filter: ${problem}` });
    }),
  ),
  v.nullish(NodeFilterShape),
);
