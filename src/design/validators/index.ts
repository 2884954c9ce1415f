import type { SiteModel, ValidationMessage } from '../model.ts';
import { bootactionDefined } from './bootaction-defined.ts';
import { bootactionPackageList } from './bootaction-package-list.ts';
import { bootactionPathOverlap } from './bootaction-path-overlap.ts';
import { bootactionTemplates } from './bootaction-templates.ts';
import { bootStorageRational } from './boot-storage-rational.ts';
import { cidrValidity } from './cidr-validity.ts';
import { hostnameValidity } from './hostname-validity.ts';
import { hugepagesValidity } from './hugepages-validity.ts';
import { ipLocality } from './ip-locality.ts';
import { ipmiValidity } from './ipmi-validity.ts';
import { libvirtValidity } from './libvirt-validity.ts';
import { mtuRational } from './mtu-rational.ts';
import { networkTrunkingRational } from './network-trunking-rational.ts';
import { noDuplicateIps } from './no-duplicate-ips.ts';
import { platformSelection } from './platform-selection.ts';
import { rationalNetworkBond } from './rational-network-bond.ts';
import { executeRule, type Rule, type RuleContext } from './rule.ts';
import { storageMountpoints } from './storage-mountpoints.ts';
import { storagePartitioning } from './storage-partitioning.ts';
import { storageSizing } from './storage-sizing.ts';
import { uniqueNetwork } from './unique-network.ts';

/** Drydock's rule set, in Drydock's order, then the rules Drydock lacks. */
export const RULES: readonly Rule[] = [
  bootStorageRational,
  cidrValidity,
  hugepagesValidity,
  ipLocality,
  mtuRational,
  networkTrunkingRational,
  noDuplicateIps,
  platformSelection,
  rationalNetworkBond,
  storagePartitioning,
  storageSizing,
  storageMountpoints,
  uniqueNetwork,
  hostnameValidity,
  ipmiValidity,
  libvirtValidity,
  bootactionDefined,
  bootactionPackageList,
  bootactionPathOverlap,
  bootactionTemplates,
];

export function validateSite(site: SiteModel, ctx: RuleContext): ValidationMessage[] {
  return RULES.flatMap((rule) => executeRule(rule, site, ctx));
}
