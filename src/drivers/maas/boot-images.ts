import type { MaasClient } from './client.ts';

interface BootResource {
  name?: string;
  architecture?: string;
}

/**
 * Drydock's get_available_images and get_available_kernels: each synced
 * Ubuntu image by series (`ubuntu/xenial` → xenial) with the kernels MAAS has
 * for it (the subarchitecture: `amd64/hwe-16.04` → hwe-16.04). One read of
 * boot-resources/; Drydock reads the list again for every image, and lists
 * non-Ubuntu resources (bootloaders) as an image named None.
 */
export async function maasBootImages(client: MaasClient): Promise<Record<string, string[]>> {
  const resources = (await client.json<BootResource[]>({ method: 'GET', path: 'boot-resources/' })) ?? [];
  const images: Record<string, string[]> = {};
  for (const r of resources) {
    const [os, series] = (r.name ?? '').split('/');
    const kernel = (r.architecture ?? '').split('/')[1];
    if (os !== 'ubuntu' || !series || !kernel) continue;
    const kernels = (images[series] ??= []);
    if (!kernels.includes(kernel)) kernels.push(kernel);
  }
  return images;
}
