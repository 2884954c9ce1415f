/**
 * The `drydock-edge` command line: global options, the command groups, and
 * the exit code (0 ok; 1 refused by the API or a failed task; 2 usage or
 * connection). Errors print their message and the API's error messages,
 * never a stack.
 */
import { Command, CommanderError, Option } from 'commander';
import { designCommands } from './commands/design.ts';
import { nodeCommands } from './commands/node.ts';
import { taskCommands } from './commands/task.ts';
import type { CliIo } from './context.ts';
import { CliError } from './errors.ts';
import { OUTPUT_FORMATS } from './output.ts';

export function buildProgram(io: CliIo): Command {
  const program = new Command('drydock-edge')
    .description('The drydock-edge API from the command line (Drydock v1.0 compatible)')
    .option('-u, --url <url>', 'the server (env DRYDOCK_URL; default http://127.0.0.1:9000)')
    .option('--token <token>', 'an API token (env DRYDOCK_TOKEN or OS_TOKEN; else a Keystone token from the OS_* variables)')
    .addOption(new Option('-o, --output <format>', 'output format').choices([...OUTPUT_FORMATS]).default('table'))
    .showHelpAfterError('(drydock-edge --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.term.out.write(s), writeErr: (s) => io.term.err.write(s) });
  designCommands(program, io);
  taskCommands(program, io);
  nodeCommands(program, io);
  return program;
}

/** Runs one command line (without node and script); answers the exit code. */
export async function runCli(args: string[], io: CliIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(args, { from: 'user' });
    return io.exit.code;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and --version are not errors; commander already printed the usage error.
      return err.exitCode === 0 ? 0 : 2;
    }
    if (err instanceof CliError) {
      io.term.err.write(`${['Error: ' + err.message, ...err.details.map((d) => `  ${d}`)].join('\n')}\n`);
      return err.exitCode;
    }
    io.term.err.write(`Error: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
