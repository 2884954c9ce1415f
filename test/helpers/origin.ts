/** A small HTTP origin on 127.0.0.1 for resolver tests; each test sets its handler. */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

export interface Origin {
  /** http://127.0.0.1:<port> */
  base: string;
  host: string;
  requests: SeenRequest[];
  handle: (req: IncomingMessage, res: ServerResponse) => void;
  close(): Promise<void>;
}

export async function startOrigin(): Promise<Origin> {
  const origin: Origin = {
    base: '',
    host: '',
    requests: [],
    handle: (_req, res) => res.end('ok'),
    close: async () => {},
  };
  const server = createServer((req, res) => {
    origin.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers });
    origin.handle(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin.host = `127.0.0.1:${port}`;
  origin.base = `http://${origin.host}`;
  origin.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return origin;
}

/** A port on 127.0.0.1 with nothing listening (connections are refused). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
