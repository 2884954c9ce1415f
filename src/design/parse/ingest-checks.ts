import type { DesignKind } from '../model.ts';
import type {
  BaremetalNodeData,
  BootActionData,
  HardwareProfileData,
  NetworkLinkData,
  PathKey,
  RegionData,
  SchemaIssue,
} from '../schemas/index.ts';
import { isJsonObject, show } from '../schemas/json.ts';

/**
 * What Drydock's ingester rejects after the schema passed, when it builds
 * its model objects (its DD000 "Error processing document"): values its
 * enum and non-nullable fields refuse, and shapes its code cannot walk.
 * Run only on data that passed the schema. Each finding keeps the document
 * out of the design, as Drydock drops a document it fails to process.
 */
export function ingestChecks(kind: DesignKind, data: Record<string, unknown>): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const add = (path: PathKey[], message: string) => issues.push({ path, message });
  switch (kind) {
    case 'NetworkLink':
      checkNetworkLink(data as NetworkLinkData, add);
      break;
    case 'BaremetalNode':
      checkNode(data as BaremetalNodeData, add);
      break;
    case 'BootAction':
      checkBootAction(data as BootActionData, add);
      break;
    case 'HardwareProfile':
      checkHardwareProfile(data as HardwareProfileData, add);
      break;
    case 'Region':
      checkRegion(data as RegionData, add);
      break;
    default:
      break;
  }
  return issues;
}

type Add = (path: PathKey[], message: string) => void;

const BONDING_MODES = ['disabled', '802.3ad', 'balance-rr', 'active-backup'];
const TRUNKING_MODES = ['disabled', '802.1q'];

const notOneOf = (value: unknown, allowed: string[]) =>
  `${show(value)} is not one of [${allowed.map((x) => `'${x}'`).join(', ')}]`;

function checkNetworkLink(data: NetworkLinkData, add: Add): void {
  const bonding = data.bonding?.mode;
  if (bonding !== undefined && !BONDING_MODES.includes(bonding)) {
    add(['bonding', 'mode'], notOneOf(bonding, BONDING_MODES));
  }
  const trunking = data.trunking?.mode;
  if (trunking !== undefined && !TRUNKING_MODES.includes(trunking)) {
    add(['trunking', 'mode'], notOneOf(trunking, TRUNKING_MODES));
  }
}

function checkNode(data: BaremetalNodeData, add: Add): void {
  const addressing = data.addressing ?? [];
  if (addressing.length === 0) add(['addressing'], 'BaremetalNode needs at least 1 assigned address');
  addressing.forEach((assignment, i) => {
    // Drydock's ingester crashes on a missing or empty address (a DD000).
    if (!assignment.address) add(['addressing', i, 'address'], "'address' must be an IP address or 'dhcp'");
    if (!assignment.network) add(['addressing', i, 'network'], "'network' is a required property");
  });
}

/** Python's int(x, 8), less signs: the mode Drydock stores for the file. */
const OCTAL = /^\s*(?:0[oO]_?)?[0-7](?:_?[0-7])*\s*$/;

function checkBootAction(data: BootActionData, add: Add): void {
  if (data.assets === undefined) add(['assets'], "'assets' is a required property");
  data.assets?.forEach((asset, i) => {
    if (asset.permissions !== undefined && !OCTAL.test(asset.permissions)) {
      add(['assets', i, 'permissions'], `${show(asset.permissions)} is not an octal file mode`);
    }
  });
  const filter = data.node_filter;
  if (filter === undefined) return;
  if (filter.filter_set_type === undefined) add(['node_filter', 'filter_set_type'], "'filter_set_type' is a required property");
  filter.filter_set?.forEach((set, i) => {
    if (set.filter_type === undefined) add(['node_filter', 'filter_set', i, 'filter_type'], "'filter_type' is a required property");
    for (const field of ['node_labels', 'rack_labels'] as const) {
      for (const [key, value] of Object.entries(set[field] ?? {})) {
        if (typeof value !== 'string') {
          add(['node_filter', 'filter_set', i, field, key], `${show(value)} is not of type 'string'`);
        }
      }
    }
  });
}

function checkHardwareProfile(data: HardwareProfileData, add: Add): void {
  for (const [alias, device] of Object.entries(data.device_aliases ?? {})) {
    if (!isJsonObject(device)) {
      add(['device_aliases', alias], `${show(device)} is not of type 'object'`);
      continue;
    }
    for (const key of ['address', 'bus_type']) {
      if (typeof device[key] !== 'string') add(['device_aliases', alias, key], `'${key}' must be a string`);
    }
    if (device.dev_type !== undefined && typeof device.dev_type !== 'string') {
      add(['device_aliases', alias, 'dev_type'], `${show(device.dev_type)} is not of type 'string'`);
    }
  }
  for (const [name, conf] of Object.entries(data.hugepages ?? {})) {
    if (typeof conf.size !== 'string') add(['hugepages', name, 'size'], "'size' must be a string such as '1G'");
    const count = conf.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) {
      add(['hugepages', name, 'count'], "'count' must be a non-negative integer");
    }
  }
}

const REPO_LISTS = ['distributions', 'subrepos', 'components', 'arches'];

function checkRegion(data: RegionData, add: Add): void {
  for (const [name, repo] of Object.entries(data.repositories ?? {})) {
    if (name === 'remove_unlisted') continue;
    if (!isJsonObject(repo)) {
      add(['repositories', name], `${show(repo)} is not of type 'object'`);
      continue;
    }
    for (const key of ['url', 'repo_type']) {
      if (typeof repo[key] !== 'string') add(['repositories', name, key], `'${key}' must be a string`);
    }
    if (repo.gpgkey !== undefined && typeof repo.gpgkey !== 'string') {
      add(['repositories', name, 'gpgkey'], `${show(repo.gpgkey)} is not of type 'string'`);
    }
    for (const key of REPO_LISTS) {
      const list = repo[key];
      if (list !== undefined && !(Array.isArray(list) && list.every((x) => typeof x === 'string'))) {
        add(['repositories', name, key], `${show(list)} is not a list of strings`);
      }
    }
    const options = repo.options;
    if (options !== undefined && !(isJsonObject(options) && Object.values(options).every((x) => typeof x === 'string'))) {
      add(['repositories', name, 'options'], `${show(options)} is not a mapping of strings`);
    }
  }
}
