// Prints the AUTH_TOKENS entry for a token: `npm run token:hash -- <name> <roles> [token]`.
// With no token, a new random one is generated and printed once.
import { createHash, randomBytes } from 'node:crypto';

const [name = 'admin', roles = 'admin', given] = process.argv.slice(2);
const token = given ?? `ddt_${randomBytes(32).toString('hex')}`;
if (!given) console.log(`token (keep it secret): ${token}`);
console.log(`AUTH_TOKENS entry: ${name}:${roles}:${createHash('sha256').update(token).digest('hex')}`);
