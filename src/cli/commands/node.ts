/** `node list|show|builddata` over /nodes, and `nodefilter` over POST /nodefilter. */
import type { Command } from 'commander';
import { cliContext, type CliIo } from '../context.ts';
import { buildDataView, nodeListView, nodeNamesView, nodeView, type BuildDataDoc, type NodeDoc } from '../views.ts';
import { nodeFilterOf, type FilterOptions } from './node-filter.ts';

export function nodeCommands(program: Command, io: CliIo): void {
  const node = program.command('node').description('the machines as the node driver knows them');

  node
    .command('list')
    .description('list the machines')
    .action(async (_opts, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      ctx.print(await (await ctx.client()).json<NodeDoc[]>('GET', '/nodes'), nodeListView);
    });

  node
    .command('show')
    .description('one machine')
    .argument('<name>', 'the node name')
    .action(async (name: string, _opts, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      ctx.print(await (await ctx.client()).json<NodeDoc>('GET', `/nodes/${encodeURIComponent(name)}`), nodeView);
    });

  node
    .command('builddata')
    .description("a node's build data, newest first")
    .argument('<name>', 'the node name')
    .option('--no-latest', 'every record, not only the newest per generator')
    .action(async (name: string, opts: { latest: boolean }, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      const path = `/nodes/${encodeURIComponent(name)}/builddata${opts.latest ? '?latest=true' : ''}`;
      ctx.print(await (await ctx.client()).json<BuildDataDoc[]>('GET', path), buildDataView);
    });

  program
    .command('nodefilter')
    .description("the names of a design's nodes a node filter selects")
    .requiredOption('-d, --design-ref <design_ref>', 'the design')
    .option('-n, --node-names <names>', 'node names, comma separated')
    .option('-r, --rack-names <names>', 'rack names, comma separated')
    .option('-t, --node-tags <tags>', 'node tags, comma separated')
    .option('--node-filter <json>', 'a whole node_filter as JSON')
    .action(async (opts: FilterOptions & { designRef: string }, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      const body: Record<string, unknown> = { design_ref: opts.designRef };
      const filter = nodeFilterOf(opts);
      if (filter !== undefined) body.node_filter = filter;
      ctx.print(await (await ctx.client()).json<string[]>('POST', '/nodefilter', body), nodeNamesView);
    });
}
