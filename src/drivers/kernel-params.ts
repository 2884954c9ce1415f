/**
 * Drydock's get_kernel_param_string: hugepagesz and hugepages first, then
 * the rest in order, a bare flag as its name. (Drydock's string starts with
 * a stray space when there are no hugepages; this one does not.)
 */
export function kernelParamString(params: Record<string, string | boolean>): string {
  const parts: string[] = [];
  const rest = { ...params };
  if ('hugepagesz' in rest) {
    parts.push(`hugepagesz=${String(rest['hugepagesz'])}`, `hugepages=${String(rest['hugepages'] ?? '')}`);
    delete rest['hugepagesz'];
    delete rest['hugepages'];
  }
  for (const [k, v] of Object.entries(rest)) parts.push(v === true || v === 'True' ? k : `${k}=${String(v)}`);
  return parts.join(' ');
}
