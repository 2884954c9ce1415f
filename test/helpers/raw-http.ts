import { connect, type Socket } from 'node:net';

/** A plain TCP connection to a test server, for requests fetch() cannot send (a body that stalls). */
export function openSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Headers of a JSON POST to `path` declaring `length` body bytes, then only `sent` of them. */
export function startPost(socket: Socket, path: string, headers: Record<string, string>, length: number, sent: string): void {
  const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${length}\r\n${extra}\r\n${sent}`,
  );
}

function complete(text: string): boolean {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const head = text.slice(0, end);
  const length = /^content-length:\s*(\d+)/im.exec(head)?.[1];
  if (length !== undefined) return Buffer.byteLength(text.slice(end + 4)) >= Number(length);
  return /\r\n0\r\n\r\n$/.test(text);
}

/** The server's first answer: what it sent once complete, or by the time it closes or `ms` pass. */
export function readAnswer(socket: Socket, ms: number): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    const done = () => {
      clearTimeout(timer);
      resolve(text);
    };
    const timer = setTimeout(done, ms);
    socket.setEncoding('utf8').on('data', (d: string) => {
      text += d;
      if (complete(text)) done();
    });
    socket.once('close', done);
  });
}

/** The status line and JSON body of a raw HTTP/1.1 answer (Content-Length or chunked). */
export function parseAnswer(answer: string): { status: number; body: Record<string, unknown> } {
  const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(answer)?.[1] ?? NaN);
  const head = answer.slice(0, answer.indexOf('\r\n\r\n'));
  let rest = answer.slice(head.length + 4);
  if (/^transfer-encoding:\s*chunked/im.test(head)) {
    let joined = '';
    for (;;) {
      const eol = rest.indexOf('\r\n');
      const size = parseInt(rest.slice(0, eol), 16);
      if (!size) break;
      joined += rest.slice(eol + 2, eol + 2 + size);
      rest = rest.slice(eol + 2 + size + 2);
    }
    rest = joined;
  }
  return { status, body: JSON.parse(rest) as Record<string, unknown> };
}
