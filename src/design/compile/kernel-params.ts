import type { HardwareProfile } from '../model.ts';

const PREFIX = 'hardwareprofile:';

/**
 * Drydock's get_kernel_param_value: `hardwareprofile:cpuset.<set>`,
 * `hardwareprofile:hugepages.<conf>.size` and `.count` take their value from
 * the node's hardware profile. A reference that does not resolve stays as
 * written (Drydock logs a warning; a malformed one without a `.` made it
 * raise out of the whole compile, here it too stays as written).
 */
export function resolveKernelParams(
  params: Record<string, string | boolean>,
  hw: HardwareProfile,
): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(params)) out[k] = typeof v === 'string' ? (resolve(v, hw) ?? v) : v;
  return out;
}

function resolve(value: string, hw: HardwareProfile): string | null {
  if (!value.startsWith(PREFIX)) return null;
  const ref = value.slice(PREFIX.length);
  const dot = ref.indexOf('.');
  if (dot < 0) return null;
  const kind = ref.slice(0, dot);
  const rest = ref.slice(dot + 1);
  if (kind === 'cpuset') return Object.hasOwn(hw.cpuSets, rest) ? (hw.cpuSets[rest] ?? null) : null;
  if (kind !== 'hugepages') return null;
  const fieldDot = rest.indexOf('.');
  if (fieldDot < 0) return null;
  const conf = rest.slice(0, fieldDot);
  const field = rest.slice(fieldDot + 1);
  const hp = Object.hasOwn(hw.hugepages, conf) ? hw.hugepages[conf] : undefined;
  if (hp === undefined) return null;
  if (field === 'size') return hp.size;
  if (field === 'count') return String(hp.count);
  return null;
}
