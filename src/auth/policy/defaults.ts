/**
 * Drydock's registered policy defaults (drydock_provisioner/policy.py).
 * Every API rule defaults to `role:admin`; operators override them with a
 * policy file, exactly as with oslo.policy.
 */

export interface PolicyOperation {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
}

export interface PolicyDefault {
  readonly name: string;
  readonly rule: string;
  readonly description: string;
  readonly operations: readonly PolicyOperation[];
}

const ADMIN = 'role:admin';
const TASKS: PolicyOperation = { method: 'POST', path: '/api/v1.0/tasks' };

function api(action: string, description: string, ...operations: PolicyOperation[]): PolicyDefault {
  return { name: `physical_provisioner:${action}`, rule: ADMIN, description, operations };
}

function task(action: string): PolicyDefault {
  return api(action, `Create a ${action} task`, TASKS);
}

export const POLICY_DEFAULTS: readonly PolicyDefault[] = [
  {
    name: 'admin_required',
    rule: 'role:admin or is_admin:1',
    description: 'Actions requiring admin authority',
    operations: [],
  },
  api(
    'read_task',
    'Get task status',
    { method: 'GET', path: '/api/v1.0/tasks' },
    { method: 'GET', path: '/api/v1.0/tasks/{task_id}' },
  ),
  api('create_task', 'Create a task', TASKS),
  task('validate_design'),
  task('verify_site'),
  task('prepare_site'),
  task('verify_nodes'),
  task('prepare_nodes'),
  task('deploy_nodes'),
  task('destroy_nodes'),
  task('relabel_nodes'),
  api('delete_tasks', 'Delete tasks by age', { method: 'DELETE', path: '/api/v1.0/tasks' }),
  api('read_build_data', 'Read build data for a node', {
    method: 'GET',
    path: '/api/v1.0/nodes/{nodename}/builddata',
  }),
  api(
    'read_data',
    'Read loaded design data',
    { method: 'GET', path: '/api/v1.0/designs' },
    { method: 'GET', path: '/api/v1.0/designs/{design_id}' },
    { method: 'GET', path: '/api/v1.0/designs/{design_id}/parts' },
  ),
  api(
    'ingest_data',
    'Load design data',
    { method: 'POST', path: '/api/v1.0/designs' },
    { method: 'POST', path: '/api/v1.0/designs/{design_id}/parts' },
  ),
  api('health_data', 'Get extended health status', { method: 'GET', path: '/api/v1.0/health/extended' }),
  // Ours (site agents, docs/site-agent.md): an agent's token runs driver calls of its site.
  api(
    'manage_agents',
    'Create, list and revoke site agents',
    { method: 'POST', path: '/api/v1.0/agents' },
    { method: 'GET', path: '/api/v1.0/agents' },
    { method: 'DELETE', path: '/api/v1.0/agents/{agent_id}' },
  ),
  api('validate_site_design', 'Validate a site design', { method: 'POST', path: '/api/v1.0/validatedesign' }),
];
