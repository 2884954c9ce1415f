/**
 * `design create <file>`: stores a design (POST /designs) and prints its
 * design://<id> ref. `design validate <file or ref>`: validates a ref, or a
 * file after storing it (POST /validatedesign); exit 1 when it fails.
 * `design list` and `design show <id or ref>`, as Drydock's CLI has them.
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseAllDocuments } from 'yaml';
import { cliContext, type CliContext, type CliIo } from '../context.ts';
import { CliError, usageError } from '../errors.ts';
import { designListView, designView, validationView, type ValidationDoc } from '../views.ts';

interface StoredDesign {
  design_id: string;
  href: string;
}

const isRef = (arg: string) => /^[a-z][a-z0-9+.-]*:\/\//i.test(arg);

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function readDesign(path: string): Promise<string> {
  try {
    return path === '-' ? await readStdin() : await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    throw usageError(`Cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : String(code ?? err)}`);
  }
}

async function storeDesign(ctx: CliContext, path: string): Promise<StoredDesign> {
  const text = await readDesign(path);
  const type = /\.json$/i.test(path) ? 'application/json' : 'application/x-yaml';
  const client = await ctx.client();
  return client.json<StoredDesign>('POST', '/designs', text, { 'content-type': type });
}

export function designCommands(program: Command, io: CliIo): void {
  const design = program.command('design').description('store and validate site designs');

  design
    .command('create')
    .description('store a design file (YAML, or a JSON list of documents; - reads stdin) and print its design:// ref')
    .argument('<file>', 'the design file')
    .action(async (file: string, _opts, cmd: Command) => {
      if (isRef(file)) throw usageError(`${file} is already a design_ref: use it with task create -d or design validate`);
      const ctx = cliContext(cmd, io);
      ctx.print(await storeDesign(ctx, file), designView);
    });

  design
    .command('list')
    .description('list the stored designs, newest first')
    .action(async (_opts, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      ctx.print(await (await ctx.client()).json<StoredDesign[]>('GET', '/designs'), designListView);
    });

  design
    .command('show')
    .description('print a stored design as it was sent (-o json: its documents as a JSON list)')
    .argument('[design]', 'the design id, or its design://<id> ref')
    .option('-i, --design-id <id>', "the design id (Drydock's CLI option)")
    .action(async (arg: string | undefined, opts: { designId?: string }, cmd: Command) => {
      const given = arg ?? opts.designId;
      if (!given) throw usageError('design show needs a design id or design://<id> ref');
      const id = given.replace(/^design:\/\//i, '');
      if (isRef(id)) throw usageError(`${given} is not a stored design: design show reads design://<id> refs only`);
      const ctx = cliContext(cmd, io);
      const res = await (await ctx.client()).open(`/designs/${encodeURIComponent(id)}`);
      const text = await res.text();
      const out = ctx.format === 'json' ? JSON.stringify(documentsOf(text, res.headers.get('content-type')), null, 2) : text.replace(/\n$/, '');
      ctx.term.out.write(`${out}\n`);
    });

  design
    .command('validate')
    .description('validate a design_ref, or a design file (stored first)')
    .argument('<file-or-ref>', 'a design file, or a design_ref such as design://<id> or file:///srv/site.yaml')
    .action(async (target: string, _opts, cmd: Command) => {
      const ctx = cliContext(cmd, io);
      const href = isRef(target) ? target : (await storeDesign(ctx, target)).href;
      const client = await ctx.client();
      let report: ValidationDoc;
      try {
        report = await client.json<ValidationDoc>('POST', '/validatedesign', { rel: 'design', href, type: 'application/x-yaml' });
      } catch (err) {
        // A failed validation is a 400 that carries the report itself.
        const body = err instanceof CliError ? err.body : undefined;
        if (!isValidationReport(body)) throw err;
        ctx.print(body, validationView);
        io.exit.code = 1;
        return;
      }
      ctx.print(report, validationView);
    });
}

function isValidationReport(body: unknown): body is ValidationDoc {
  const doc = body as { kind?: unknown; message?: unknown } | undefined;
  return doc?.kind === 'Status' && doc.message === 'Site design failed validation.';
}

/** The stored text's documents: a JSON list as sent, or each YAML document. */
function documentsOf(text: string, contentType: string | null): unknown[] {
  if (/json/i.test(contentType ?? '')) return JSON.parse(text) as unknown[];
  return parseAllDocuments(text).map((doc) => doc.toJS() as unknown).filter((doc) => doc !== null);
}
