// A server the benchmarks start in its own process group (spawned with
// `detached: true`), so tsx or wrangler and their children stop together:
// SIGTERM to the group, SIGKILL after 5 s, resolved once the child exited.
export function processGroup(child) {
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal));
    child.once('error', (err) => resolve(`spawn error: ${err.message}`));
  });
  const signal = (sig) => {
    if (!child.pid) return; // never spawned: process.kill(-0) would signal our own group
    try {
      process.kill(-child.pid, sig);
    } catch {
      /* already gone */
    }
  };
  const stop = async () => {
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return { exited, stop };
}
