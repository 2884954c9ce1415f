// Deno entry (`npm run start:deno`): the same app and libSQL file as Node.
import { prepareLocal } from './runtime/local.ts';
import { describeStartupError } from './runtime/startup-error.ts';

declare const Deno: {
  env: { toObject(): Record<string, string> };
  serve(
    options: { hostname: string; port: number; onListen?: (addr: { hostname: string; port: number }) => void },
    handler: (req: Request) => Response | Promise<Response>,
  ): { shutdown(): Promise<void> };
  exit(code: number): never;
};

try {
  const local = await prepareLocal(Deno.env.toObject());
  const { config, logger } = local;
  Deno.serve(
    {
      hostname: config.HOST,
      port: config.PORT,
      onListen: ({ hostname, port }) => {
        logger.info(`Drydock API listening on http://${hostname}:${port}`, { runtime: 'deno', port });
        logger.info(local.authHint);
      },
    },
    local.app.fetch,
  );
} catch (err) {
  console.error(describeStartupError(err));
  Deno.exit(1);
}
