/**
 * What the API document (GET /api/v1.0/openapi.json) says of each route,
 * keyed by Hono's method and pattern as app.routes lists them. The request
 * schemas are the ones the routes validate with; the policy rule of a
 * requirePolicy guard comes from the route itself, so only rules a handler
 * checks on its own are written here. A route mounted without an entry is
 * listed as undescribed, and test/app/openapi.test.ts fails on it.
 */
import * as v from 'valibot';
import { API_PREFIX } from '../core/app-paths.ts';
import type { Answer, Operation } from '../http/openapi/operation.ts';
import { HeartbeatBody, leaseBody, NewAgentBody, RenewBody, ResultBody } from '../http/schemas/agents.ts';
import { NodeFilterBody, ValidateDesignBody } from '../http/schemas/designs.ts';
import { InventoryBody } from '../http/schemas/inventory.ts';
import { NodeBuildDataQuery } from '../http/schemas/nodes.ts';
import * as R from '../http/schemas/responses.ts';
import { NewTaskBody, TaskEventsQuery, TaskListQuery, TaskPurgeQuery, TaskViewQuery } from '../http/schemas/tasks.ts';

const json = (description: string, schema: v.GenericSchema): Answer => ({ description, schema });
const YAML_OR_JSON = ['application/x-yaml', 'application/json'];
const BOOT_KEY = 'A missing key is 401; any wrong, malformed, unknown or expired key the same 403.';

const versions: Operation = { summary: "Drydock's version discovery", tag: 'versions', access: 'open', responses: { 200: json('The API versions', R.Versions) } };

const assets: Operation = {
  summary: "A node's rendered boot action files or units",
  description: `A gzip tar with a strong ETag (304 for If-None-Match). ${BOOT_KEY}`,
  tag: 'boot actions',
  access: 'node-key',
  responses: { 200: { description: 'The tarball', mediaType: 'application/gzip' }, 304: { description: 'Not modified' } },
};

const signal: Operation = {
  summary: 'Reports on a boot action (status and messages)',
  description: `Also with a trailing "/" and after a doubled "/", as Drydock's baclient sends. ${BOOT_KEY}`,
  tag: 'boot actions',
  access: 'node-key',
  body: R.BootActionSignal,
  responses: { 200: json('The boot action', R.BootActionStatus) },
};

const reference = (summary: string, mediaType: string): Operation => ({ summary, tag: 'reference', access: 'open', responses: { 200: { description: summary, mediaType } } });

const agentCall = (summary: string, body: v.GenericSchema, answer: v.GenericSchema = R.AgentAnswer): Operation => ({
  summary,
  tag: 'site agents',
  access: 'agent-token',
  body,
  responses: { 200: json('See docs/site-agent.md', answer) },
});

const SIGNAL_PATHS = ['/bootaction/', '/bootactions/', '/bootaction//', '/bootactions//'].flatMap((p) => [`${p}:id`, `${p}:id/`]);

/** The routes under API_PREFIX; `leaseWaitMax`: the server's AGENT_LEASE_WAIT_MAX_SECONDS. */
const api = (leaseWaitMax: number): Record<string, Operation> => ({
  'GET /health': { summary: 'Load balancer check', tag: 'health', access: 'open', responses: { 204: { description: 'Healthy' }, 503: { description: 'The database does not answer or take writes' } } },
  'GET /health/extended': { summary: 'Every health check', tag: 'health', access: 'keystone', responses: { 200: json('Healthy', R.Status), 503: json('A check failed', R.Status) } },
  'POST /validatedesign': {
    summary: 'Validates a site design',
    tag: 'designs',
    access: 'keystone',
    body: ValidateDesignBody,
    responses: { 200: json('The design is valid', R.Status), 400: json('Every problem found', R.Status) },
  },
  'POST /nodefilter': { summary: 'The nodes of a design a node filter selects', tag: 'designs', access: 'keystone', body: NodeFilterBody, responses: { 200: json('Node names', v.array(v.string())) } },
  'POST /designs': {
    summary: 'Stores a design, to be referenced as design://<id>',
    tag: 'designs',
    access: 'keystone',
    bodyTypes: YAML_OR_JSON,
    description: 'A YAML stream of documents, or a JSON list of them.',
    responses: { 201: json('The stored design', R.DesignSummary) },
  },
  'GET /designs': { summary: 'The stored designs, newest first', tag: 'designs', access: 'keystone', responses: { 200: json('Designs', v.array(R.DesignSummary)) } },
  'GET /designs/:id': { summary: 'A stored design as it was sent', tag: 'designs', access: 'keystone', responses: { 200: { description: 'The documents', mediaType: 'application/x-yaml' } } },
  'POST /tasks': {
    summary: 'Creates a task',
    tag: 'tasks',
    access: 'keystone',
    policy: 'physical_provisioner:<action>',
    body: NewTaskBody,
    responses: { 201: json('The task', R.Task), 409: json('Another unfinished task works on a node', R.Status) },
  },
  'GET /tasks': { summary: 'Tasks, newest first, a page at a time', tag: 'tasks', access: 'keystone', query: TaskListQuery, responses: { 200: json('Tasks', v.array(R.Task)) } },
  'DELETE /tasks': { summary: 'Removes finished tasks older than a number of days', tag: 'tasks', access: 'keystone', query: TaskPurgeQuery, responses: { 200: json('How many were removed', R.Status) } },
  'GET /tasks/:id': { summary: 'A task', tag: 'tasks', access: 'keystone', query: TaskViewQuery, responses: { 200: json('The task', R.TaskView) } },
  'POST /tasks/:id/terminate': {
    summary: 'Ends a task and its subtasks at their next step',
    tag: 'tasks',
    access: 'keystone',
    policy: "physical_provisioner:<the task's action>",
    responses: { 202: json('The task, terminating', R.Task), 409: json('A subtask, or a task that ended', R.Status) },
  },
  'GET /tasks/:id/events': {
    summary: "The task tree's events: Server-Sent Events, or a JSON long poll",
    description: 'SSE events task, message and end (id: seq; resume with Last-Event-ID); format=json answers one page. README "Task events".',
    tag: 'tasks',
    access: 'keystone',
    query: TaskEventsQuery,
    responses: { 200: { description: 'text/event-stream of task, message and end events; with format=json a TaskEventPage', mediaType: 'text/event-stream' } },
  },
  'GET /tasks/:id/builddata': { summary: "A task's build data", tag: 'tasks', access: 'keystone', responses: { 200: json('Build data', v.array(R.BuildData)) } },
  'GET /nodes': { summary: 'The machines the node driver (or the site agents) know', tag: 'nodes', access: 'keystone', responses: { 200: json('Machines', v.array(R.Machine)) } },
  'GET /nodes/:hostname': { summary: 'One machine', tag: 'nodes', access: 'keystone', responses: { 200: json('The machine', R.Machine) } },
  'GET /nodes/:hostname/builddata': {
    summary: "A node's build data, newest first",
    tag: 'nodes',
    access: 'keystone',
    query: NodeBuildDataQuery,
    responses: { 200: json('Build data', v.array(R.BuildData)) },
  },
  'GET /bootdata/:hostname/:type{files|units}': assets,
  'GET /bootactions/nodes/:hostname/:type{files|units}': assets,
  ...Object.fromEntries(SIGNAL_PATHS.map((p) => [`POST ${p}`, signal])),
  'POST /agents': { summary: 'Creates a site agent and its token', tag: 'site agents', access: 'keystone', body: NewAgentBody, responses: { 201: json('The agent, with its token', R.CreatedAgent) } },
  'GET /agents': { summary: 'The site agents', tag: 'site agents', access: 'keystone', responses: { 200: json('Agents', v.array(R.Agent)) } },
  'DELETE /agents/:id': { summary: 'Revokes a site agent', tag: 'site agents', access: 'keystone', responses: { 204: { description: 'Revoked' } } },
  'POST /agents/heartbeat': agentCall("The agent's version, drivers and tools", HeartbeatBody),
  'POST /agents/inventory': agentCall("The agent's machines and boot images", InventoryBody),
  'POST /agents/lease': agentCall("Leases driver calls of the agent's site (long poll)", leaseBody(leaseWaitMax), R.LeasedCalls),
  'POST /agents/calls/:id/renew': agentCall("Extends a call's lease", RenewBody),
  'POST /agents/calls/:id/result': agentCall("A call's progress or result", ResultBody),
  'GET /agents/designs/:hash': {
    summary: 'A design a leased call needs, by content hash',
    tag: 'site agents',
    access: 'agent-token',
    responses: { 200: { description: 'The design as stored', mediaType: 'application/x-yaml' } },
  },
  'GET /openapi.json': reference('This document', 'application/json'),
  'GET /docs': reference('The API reference page (Swagger UI)', 'text/html'),
  'GET /docs/init.js': reference("The reference page's script", 'text/javascript'),
  'GET /docs/swagger-ui-bundle.js': reference('Swagger UI', 'text/javascript'),
  'GET /docs/swagger-ui.css': reference("Swagger UI's stylesheet", 'text/css'),
});

/** Every operation of the app, under the full path. */
export const apiOperations = (leaseWaitMax: number): Readonly<Record<string, Operation>> => ({
  'GET /versions': versions,
  'GET /api/versions': versions,
  ...Object.fromEntries(
    Object.entries(api(leaseWaitMax)).map(([key, op]) => {
      const [method, path] = key.split(' ') as [string, string];
      return [`${method} ${API_PREFIX}${path}`, op];
    }),
  ),
});
