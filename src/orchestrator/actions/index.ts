import type { StepFn } from '../step.ts';
import type { TopLevelAction } from '../types.ts';
import { deployNodesStep } from './deploy-nodes.ts';
import { destroyNodesStep } from './destroy-nodes.ts';
import { prepareNodesStep } from './prepare-nodes.ts';
import { prepareSiteStep } from './prepare-site.ts';
import { relabelNodesStep } from './relabel-nodes.ts';
import { validateDesignStep } from './validate-design.ts';
import { verifyNodesStep } from './verify-nodes.ts';
import { verifySiteStep } from './verify-site.ts';

/** Drydock's orch_task_actions: one step function per top-level action. */
export const TOP_LEVEL_STEPS: Record<TopLevelAction, StepFn> = {
  validate_design: validateDesignStep,
  verify_site: verifySiteStep,
  prepare_site: prepareSiteStep,
  verify_nodes: verifyNodesStep,
  prepare_nodes: prepareNodesStep,
  deploy_nodes: deployNodesStep,
  destroy_nodes: destroyNodesStep,
  relabel_nodes: relabelNodesStep,
};
