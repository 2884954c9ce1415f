import { serve } from '@hono/node-server';
import { prepareLocal } from './runtime/local.ts';
import { describeListenError, describeStartupError } from './runtime/startup-error.ts';

/** Node entry: the embedded default (`npm start`). */
async function main() {
  const local = await prepareLocal(process.env);
  const { config, logger } = local;
  const server = serve({ fetch: local.app.fetch, hostname: config.HOST, port: config.PORT }, (info) => {
    local.listening(info.port);
    const host = info.address.includes(':') ? `[${info.address}]` : info.address;
    local.announce.info(`Drydock API listening on http://${host}:${info.port}`, { runtime: 'node', port: info.port });
    local.announce.info(local.authHint);
  });
  // Without a listener, a port in use is an uncaught 'error' event and a stack trace.
  server.once('error', (err) => {
    console.error(describeListenError(err, config.HOST, config.PORT) ?? describeStartupError(err));
    setTimeout(() => process.exit(1), 2000).unref();
    void local.close().finally(() => process.exit(1));
  });
  const stop = (signal: string) => {
    logger.info('shutting down', { signal });
    local.drain();
    server.close(() => {
      void local.close().finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 5000).unref();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  console.error(describeStartupError(err));
  process.exit(1);
});
