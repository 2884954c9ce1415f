// Deno entry (`npm run start:deno`): the same app and libSQL file as Node.
import { prepareLocal } from './runtime/local.ts';
import { describeListenError, describeStartupError } from './runtime/startup-error.ts';

declare const Deno: {
  env: { toObject(): Record<string, string> };
  serve(
    options: { hostname: string; port: number; onListen?: (addr: { hostname: string; port: number }) => void },
    handler: (req: Request) => Response | Promise<Response>,
  ): { shutdown(): Promise<void> };
  addSignalListener(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
  exit(code: number): never;
};

let local: Awaited<ReturnType<typeof prepareLocal>> | undefined;
try {
  local = await prepareLocal(Deno.env.toObject());
  const runtime = local;
  const { config, logger, announce } = local;
  const server = Deno.serve(
    {
      hostname: config.HOST,
      port: config.PORT,
      onListen: ({ hostname, port }) => {
        runtime.listening(port);
        announce.info(`Drydock API listening on http://${hostname}:${port}`, { runtime: 'deno', port });
        announce.info(runtime.authHint);
      },
    },
    runtime.app.fetch,
  );
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    runtime.drain();
    setTimeout(() => Deno.exit(0), 5000);
    void server
      .shutdown()
      .then(() => runtime.close())
      .finally(() => Deno.exit(0));
  };
  Deno.addSignalListener('SIGINT', () => stop('SIGINT'));
  Deno.addSignalListener('SIGTERM', () => stop('SIGTERM'));
} catch (err) {
  // Deno.serve throws Deno.errors.AddrInUse (and the like) when it cannot listen.
  const listenError = local ? describeListenError(err, local.config.HOST, local.config.PORT) : null;
  console.error(listenError ?? describeStartupError(err));
  setTimeout(() => Deno.exit(1), 2000);
  await local?.close().catch(() => {});
  Deno.exit(1);
}
