/** The `drydock-edge` CLI on Node (bin/drydock-edge.mjs loads it through tsx). */
import { runCli } from './cli/program.ts';
import { processTerminal } from './cli/terminal.ts';

const io = { env: process.env, term: processTerminal(), exit: { code: 0 } };
process.exitCode = await runCli(process.argv.slice(2), io);
