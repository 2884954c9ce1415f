import type { SimState } from './state.ts';

/** The first host address of an IPv4 `cidr` from .10 up that no link uses yet (leaves room for gateways). */
export function nextFree(st: SimState, cidr: string): string {
  const [base, bits] = cidr.split('/') as [string, string];
  const start = base.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const used = new Set(st.machines.flatMap((m) => m.interfaces.flatMap((i) => i.links.map((l) => l.ipAddress))));
  for (let n = start + 10; n < start + 2 ** (32 - Number(bits)) - 1; n++) {
    const ip = [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
    if (!used.has(ip)) return ip;
  }
  throw new Error(`no free address in ${cidr}`);
}

/** Whether an IPv4 address is inside a CIDR (the IP address checks of forms/interface_link.py). */
export function inCidr(ip: string, cidr: string): boolean {
  const num = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const [base, bits] = cidr.split('/') as [string, string];
  const size = 2 ** (32 - Number(bits));
  return /^\d+\.\d+\.\d+\.\d+$/.test(ip) && Math.floor(num(ip) / size) === Math.floor(num(base) / size);
}
