import * as v from 'valibot';
import { nodeFilterProblem } from '../../services/nodefilter.ts';

/** An optional node_filter: absent or null is none; anything else must be a valid filter set. Kept as sent. */
export const nodeFilter = v.pipe(
  v.unknown(),
  v.rawCheck(({ dataset, addIssue }) => {
    const problem = dataset.typed ? nodeFilterProblem(dataset.value) : null;
    if (problem !== null) addIssue({ message: `Invalid node_filter: ${problem}` });
  }),
);
