// Node entry of the site agent (`npm run agent`, docs/site-agent.md).
import { agentMain } from './runtime/agent-main.ts';

void agentMain(process.env, {
  exit: (code) => process.exit(code),
  onSignal: (signal, handler) => process.once(signal, handler),
});
