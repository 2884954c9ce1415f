// Deno entry of the site agent (`npm run agent:deno`): the same agent as Node's.
import { agentMain } from './runtime/agent-main.ts';

declare const Deno: {
  env: { toObject(): Record<string, string> };
  addSignalListener(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void;
  exit(code: number): never;
};

await agentMain(Deno.env.toObject(), {
  exit: (code) => Deno.exit(code),
  onSignal: (signal, handler) => Deno.addSignalListener(signal, handler),
});
