import * as v from 'valibot';
import type { DesignKind } from '../model.ts';
import { baremetalNodeSchema } from './baremetal-node.ts';
import { bootActionSchema } from './boot-action.ts';
import { hardwareProfileSchema } from './hardware-profile.ts';
import { hostProfileSchema } from './host-profile.ts';
import { ADDITIONAL_PROPERTY, type Schema } from './json.ts';
import { networkLinkSchema } from './network-link.ts';
import { networkSchema } from './network.ts';
import { rackSchema } from './rack.ts';
import { regionSchema } from './region.ts';

export type { BaremetalNodeData } from './baremetal-node.ts';
export type { BootActionData } from './boot-action.ts';
export type { HardwareProfileData } from './hardware-profile.ts';
export type { HostProfileData } from './host-profile.ts';
export type { NetworkLinkData } from './network-link.ts';
export type { NetworkData } from './network.ts';
export type { RackData } from './rack.ts';
export type { RegionData } from './region.ts';

/** The schema of each kind's `data` (Deckhand) or `spec` (legacy) section. */
export const designSchemas: Readonly<Record<DesignKind, Schema>> = {
  Region: regionSchema,
  Rack: rackSchema,
  NetworkLink: networkLinkSchema,
  Network: networkSchema,
  HardwareProfile: hardwareProfileSchema,
  HostProfile: hostProfileSchema,
  BaremetalNode: baremetalNodeSchema,
  BootAction: bootActionSchema,
};

export const designKinds = Object.keys(designSchemas) as DesignKind[];

export function isDesignKind(kind: string): kind is DesignKind {
  return Object.prototype.hasOwnProperty.call(designSchemas, kind);
}

export type PathKey = string | number;

export interface SchemaIssue {
  /** Keys from the top of the section, e.g. ['storage', 'physical_devices', 'sda']. */
  path: PathKey[];
  message: string;
}

/** Every schema violation in one document's section (not only the first). */
export function validateDesignData(kind: DesignKind, data: unknown): SchemaIssue[] {
  const result = v.safeParse(designSchemas[kind], data);
  if (result.success) return [];
  return result.issues.map(toSchemaIssue);
}

function toSchemaIssue(issue: v.BaseIssue<unknown>): SchemaIssue {
  const path: PathKey[] = (issue.path ?? []).map((item) => item.key as PathKey);
  if (issue.type === 'never' && issue.message === ADDITIONAL_PROPERTY) {
    const key = path[path.length - 1];
    return { path, message: `Additional properties are not allowed ('${String(key)}' was unexpected)` };
  }
  return { path, message: issue.message };
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `data.storage.physical_devices.sda.partitions[0].size`; odd keys as `["0000:00:03.0"]`. */
export function formatPath(root: string, path: readonly PathKey[]): string {
  let text = root;
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (IDENTIFIER.test(key)) text += text === '' ? key : `.${key}`;
    else text += `[${JSON.stringify(key)}]`;
  }
  return text;
}
