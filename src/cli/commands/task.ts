/** `task create|list|show|builddata|terminate` over /tasks. */
import type { Command } from 'commander';
import { watchTask } from '../block.ts';
import { cliContext, type CliIo } from '../context.ts';
import { usageError } from '../errors.ts';
import type { ApiClient } from '../http-client.ts';
import { buildDataView, taskListView, taskView, type BuildDataDoc, type TaskDoc } from '../views.ts';
import { nodeFilterOf, type FilterOptions } from './node-filter.ts';

const ACTIONS = ['validate_design', 'verify_site', 'prepare_site', 'verify_nodes', 'prepare_nodes', 'deploy_nodes', 'destroy_nodes', 'relabel_nodes'];

/**
 * The nodes a node action targets (POST /nodefilter), so the progress lists
 * them from the start; none for a site action, or when the caller may not read
 * them: the events name the nodes anyway as their phases end.
 */
async function targetNodes(client: ApiClient, body: Record<string, unknown>): Promise<string[]> {
  if (!String(body.action).endsWith('_nodes')) return [];
  try {
    const filter = body.node_filter === undefined ? {} : { node_filter: body.node_filter };
    return await client.json<string[]>('POST', '/nodefilter', { design_ref: body.design_ref, ...filter });
  } catch {
    return [];
  }
}

/** The task id as an argument, or as Drydock's -t/--task-id. */
function taskIdOf(arg: string | undefined, opts: { taskId?: string }): string {
  const id = arg ?? opts.taskId;
  if (!id) throw usageError('a task id is needed (as an argument or -t <id>)');
  return encodeURIComponent(id);
}

export function taskCommands(program: Command, io: CliIo): void {
  const task = program.command('task').description('create, follow and inspect tasks');

  task
    .command('create')
    .description('create a task; --block follows it to its end (exit 0 on success, 1 on failure or partial success)')
    .requiredOption('-a, --action <action>', `the action: ${ACTIONS.join(', ')}`)
    .requiredOption('-d, --design-ref <design_ref>', 'the design, e.g. design://<id> (from design create)')
    .option('-n, --node-names <names>', 'the nodes targeted, comma separated')
    .option('-r, --rack-names <names>', 'the racks targeted, comma separated')
    .option('-t, --node-tags <tags>', 'the node tags targeted, comma separated')
    .option('--node-filter <json>', 'a whole node_filter as JSON')
    .option('-b, --block', 'show live progress until the task ends')
    .action(async (opts: FilterOptions & { action: string; designRef: string; block?: boolean }, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      const body: Record<string, unknown> = { action: opts.action, design_ref: opts.designRef };
      const filter = nodeFilterOf(opts);
      if (filter !== undefined) body.node_filter = filter;
      const client = await ctx.client();
      const created = await client.json<TaskDoc>('POST', '/tasks', body);
      if (!opts.block) return ctx.print(created, taskView);
      if (ctx.format === 'table') {
        io.exit.code = await watchTask(client, created.task_id, ctx.term, { nodes: await targetNodes(client, body) });
        return;
      }
      // json/yaml: no progress on stdout, the task as it ended.
      const quiet = { ...ctx.term, out: { write: () => true } as unknown as NodeJS.WritableStream, fancy: false };
      io.exit.code = await watchTask(client, created.task_id, quiet);
      ctx.print(await client.json<TaskDoc>('GET', `/tasks/${created.task_id}`), taskView);
    });

  task
    .command('list')
    .description('list tasks, newest first (top-level tasks unless --all)')
    .option('--all', 'subtasks too')
    .option('--limit <n>', 'at most this many', '100')
    .action(async (opts: { all?: boolean; limit: string }, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      const query = new URLSearchParams({ limit: opts.limit });
      if (!opts.all) query.set('top_level', 'true');
      ctx.print(await (await ctx.client()).json<TaskDoc[]>('GET', `/tasks?${query}`), taskListView);
    });

  task
    .command('show')
    .description("show a task's status, result and error messages")
    .argument('[id]', 'the task id')
    .option('-t, --task-id <id>', 'the task id (as Drydock)')
    .action(async (id: string | undefined, opts: { taskId?: string }, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      ctx.print(await (await ctx.client()).json<TaskDoc>('GET', `/tasks/${taskIdOf(id, opts)}`), taskView);
    });

  task
    .command('builddata')
    .description('the build data a task collected')
    .argument('[id]', 'the task id')
    .option('-t, --task-id <id>', 'the task id (as Drydock)')
    .action(async (id: string | undefined, opts: { taskId?: string }, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      ctx.print(await (await ctx.client()).json<BuildDataDoc[]>('GET', `/tasks/${taskIdOf(id, opts)}/builddata`), buildDataView);
    });

  task
    .command('terminate')
    .description('end a top-level task and its subtasks at their next step')
    .argument('[id]', 'the task id')
    .option('-t, --task-id <id>', 'the task id (as Drydock)')
    .action(async (id: string | undefined, opts: { taskId?: string }, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      ctx.print(await (await ctx.client()).json<TaskDoc>('POST', `/tasks/${taskIdOf(id, opts)}/terminate`), taskView);
    });
}
