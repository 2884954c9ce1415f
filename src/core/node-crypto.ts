import type * as NodeCrypto from 'node:crypto';

/**
 * node:crypto where the runtime has it built in (Node, and Deno's Node
 * compatibility), found with process.getBuiltinModule so that this module
 * imports nothing a Worker lacks; undefined on workerd (no `process` without
 * nodejs_compat), where callers use Web Crypto. Its hashes and HMACs are
 * synchronous, which for small inputs is far cheaper than a Web Crypto job.
 */
type WithBuiltins = { process?: { getBuiltinModule?: (id: string) => unknown } };

export const nodeCrypto: typeof NodeCrypto | undefined = (() => {
  try {
    return (globalThis as WithBuiltins).process?.getBuiltinModule?.('node:crypto') as typeof NodeCrypto | undefined;
  } catch {
    return undefined;
  }
})();
