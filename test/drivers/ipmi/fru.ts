/** What a test BMC tells about its machine in FRU 0's product area. */
export interface FruProduct {
  manufacturer: string;
  product: string;
  version: string;
  serial: string;
}

const checksum = (bytes: number[]) => (256 - (bytes.reduce((a, b) => a + b, 0) % 256)) % 256;

// 8-bit ASCII type/length byte (0b11 in the top bits), then the text.
const field = (text: string) => [0xc0 | text.length, ...Buffer.from(text, 'latin1')];

/**
 * A FRU image (IPMI Platform Management FRU Information Storage Definition
 * v1.0): the common header, then a product info area only.
 */
export function fruImage(p: FruProduct): number[] {
  const area = [0x01, 0, 0x00, ...field(p.manufacturer), ...field(p.product), ...field(''), ...field(p.version), ...field(p.serial), ...field(''), ...field(''), 0xc1];
  while ((area.length + 1) % 8 !== 0) area.push(0);
  area[1] = (area.length + 1) / 8;
  area.push(checksum(area));
  const header = [0x01, 0, 0, 0, 1, 0, 0];
  header.push(checksum(header));
  return [...header, ...area];
}
