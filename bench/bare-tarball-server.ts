// The ceiling for the boot data bench: a plain node:http server that answers
// every GET with the same files tarred (the project's ustar writer, no
// checks) and gzipped (Node's native zlib, level 6) anew per request, with
// no routing, authentication, database or logging. Started by
// bench/bootdata.ts in its own process, as the real server is:
//   tsx bench/bare-tarball-server.ts <port> <files.json>
// where files.json is [{"path", "mode", "content" (base64)}].
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { gzipSync } from 'node:zlib';
import { buildTar } from '../src/bootaction/tarball.ts';

const [port, list] = process.argv.slice(2);
const files = (JSON.parse(readFileSync(list!, 'utf8')) as Array<{ path: string; mode: number; content: string }>).map((f) => ({
  path: f.path,
  mode: f.mode,
  content: new Uint8Array(Buffer.from(f.content, 'base64')),
}));

createServer((_req, res) => {
  const body = gzipSync(buildTar(files), { level: 6 });
  res.writeHead(200, { 'Content-Type': 'application/gzip', 'Content-Length': body.byteLength });
  res.end(body);
}).listen(Number(port), '127.0.0.1');
