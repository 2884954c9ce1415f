/**
 * What every command needs: the API client (built once the command runs, as
 * Keystone may have to issue a token), the output format and the terminal.
 */
import type { Command } from 'commander';
import { resolveToken } from './auth.ts';
import { createApiClient, type ApiClient } from './http-client.ts';
import { formatAnswer, outputFormat, type OutputFormat } from './output.ts';
import type { Terminal } from './terminal.ts';

export interface CliIo {
  env: Record<string, string | undefined>;
  term: Terminal;
  fetch?: typeof fetch;
  /** The exit code a command sets when it ends without an error (e.g. a failed validation). */
  exit: { code: number };
}

export interface CliContext {
  format: OutputFormat;
  term: Terminal;
  client(): Promise<ApiClient>;
  /** Prints the answer in the chosen format; `view` makes the table. */
  print<T>(answer: T, view: (answer: T) => string): void;
}

const DEFAULT_URL = 'http://127.0.0.1:9000';

export function cliContext(cmd: Command, io: CliIo): CliContext {
  const opts = cmd.optsWithGlobals<{ url?: string; token?: string; output: string }>();
  const format = outputFormat(opts.output);
  let client: Promise<ApiClient> | null = null;
  return {
    format,
    term: io.term,
    client() {
      client ??= (async () => {
        const url = opts.url || io.env.DRYDOCK_URL || io.env.DD_URL || DEFAULT_URL;
        const token = await resolveToken(opts.token, io.env, io.fetch);
        return createApiClient(url, token, io.fetch);
      })();
      return client;
    },
    print(answer, view) {
      io.term.out.write(`${formatAnswer(format, answer, view as (a: never) => string)}\n`);
    },
  };
}
