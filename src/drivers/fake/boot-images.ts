/**
 * The images and kernels the fake lab offers, for Drydock's Platform
 * Selection rule: the Ubuntu releases MAAS commonly syncs, each with its GA
 * and HWE kernels.
 */
export const FAKE_LAB_IMAGES: Record<string, string[]> = {
  xenial: ['ga-16.04', 'hwe-16.04', 'hwe-16.04-edge'],
  bionic: ['ga-18.04', 'hwe-18.04', 'hwe-18.04-edge'],
  focal: ['ga-20.04', 'hwe-20.04', 'hwe-20.04-edge'],
  jammy: ['ga-22.04', 'hwe-22.04', 'hwe-22.04-edge'],
};
