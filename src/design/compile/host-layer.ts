import type { HostProfile } from '../model.ts';
import { inheritField, mergeDicts, mergeLists } from './inherit.ts';
import { finalInterface, mergeInterfaces, parseInterfaces } from './interfaces.ts';
import type { HostLayer } from './layers.ts';
import { finalDevice, finalVolumeGroup, mergeDevices, mergeVolumeGroups, parseStorage } from './storage.ts';
import { body, str, strList, strMap, type Body } from './values.ts';

/**
 * Kernel parameter values as written: strings stay strings, `true` stays a
 * bare flag (Drydock renders `true` as `key` alone), numbers become strings.
 */
function kernelParams(value: unknown): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (const [k, v] of Object.entries(body(value))) {
    if (typeof v === 'boolean') out[k] = v;
    else {
      const s = str(v);
      if (s !== null) out[k] = s;
    }
  }
  return out;
}

/** The fields HostProfile and BaremetalNode documents share (Drydock's process_host_common_fields). */
export function parseHostLayer(data: Body): HostLayer {
  const oob = body(data.oob);
  const { type: oobType, ...oobParams } = oob;
  const platform = body(data.platform);
  const metadata = body(data.metadata);
  const storage = parseStorage(data.storage);
  return {
    hardwareProfile: str(data.hardware_profile),
    primaryNetwork: str(data.primary_network),
    rack: str(metadata.rack),
    image: str(platform.image),
    kernel: str(platform.kernel),
    oobType: str(oobType),
    oobParams,
    kernelParams: kernelParams(platform.kernel_params),
    tags: strList(metadata.tags),
    ownerData: strMap(metadata.owner_data),
    interfaces: parseInterfaces(data.interfaces),
    physicalDevices: storage.physicalDevices,
    volumeGroups: storage.volumeGroups,
  };
}

/** Drydock's HostProfile.apply_inheritance, with its list-merge bugs fixed. */
export function mergeHostLayers(child: HostLayer, parent: HostLayer): HostLayer {
  return {
    hardwareProfile: inheritField(child.hardwareProfile, parent.hardwareProfile),
    primaryNetwork: inheritField(child.primaryNetwork, parent.primaryNetwork),
    rack: inheritField(child.rack, parent.rack),
    image: inheritField(child.image, parent.image),
    kernel: inheritField(child.kernel, parent.kernel),
    oobType: inheritField(child.oobType, parent.oobType),
    oobParams: mergeDicts(child.oobParams, parent.oobParams),
    kernelParams: mergeDicts(child.kernelParams, parent.kernelParams),
    tags: mergeLists(child.tags, parent.tags),
    ownerData: mergeDicts(child.ownerData, parent.ownerData),
    interfaces: mergeInterfaces(child.interfaces, parent.interfaces),
    physicalDevices: mergeDevices(child.physicalDevices, parent.physicalDevices),
    volumeGroups: mergeVolumeGroups(child.volumeGroups, parent.volumeGroups),
  };
}

export type HostFields = Omit<HostProfile, 'name' | 'doc' | 'parentProfile'>;

/** A compiled layer as fresh model objects (readers never share state between nodes). */
export function finalHost(layer: HostLayer): HostFields {
  const params: Record<string, unknown> = layer.oobType === null ? {} : { type: layer.oobType };
  Object.assign(params, layer.oobParams);
  return {
    hardwareProfile: layer.hardwareProfile,
    primaryNetwork: layer.primaryNetwork,
    oob: {
      type: layer.oobType,
      network: str(layer.oobParams.network),
      account: str(layer.oobParams.account),
      credential: str(layer.oobParams.credential),
      params,
    },
    storage: {
      physicalDevices: layer.physicalDevices.map(finalDevice),
      volumeGroups: layer.volumeGroups.map(finalVolumeGroup),
    },
    interfaces: layer.interfaces.map(finalInterface),
    platform: { image: layer.image, kernel: layer.kernel, kernelParams: { ...layer.kernelParams } },
    tags: [...layer.tags],
    ownerData: { ...layer.ownerData },
    rack: layer.rack,
  };
}
