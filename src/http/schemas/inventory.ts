/**
 * POST /agents/inventory (docs/site-agent.md): the agent's node driver's
 * machines, as GET /nodes answers them, and its boot images. Bounded so one
 * site's row stays well under D1's 2 MB per value; fields beyond
 * MachineSummary's are dropped, so GET /nodes keeps Drydock's shape.
 */
import * as v from 'valibot';
import { fieldsOf } from './fields.ts';

export const MAX_MACHINES = 5000;
export const MAX_IMAGES = 256;
const MAX_KERNELS = 64;

const text = (name: string, max: number) =>
  v.pipe(v.string(`${name} must be a string`), v.maxLength(max, `${name} must be at most ${max} characters`));
const nullableText = (name: string, max: number) =>
  v.nullable(v.pipe(v.string(`${name} must be a string or null`), v.maxLength(max, `${name} must be at most ${max} characters`)));
const count = (name: string) =>
  v.nullable(
    v.pipe(v.number(`${name} must be a whole number or null`), v.integer(`${name} must be a whole number or null`), v.minValue(0, `${name} must not be negative`)),
  );

const MACHINE = 'each machine must be an object with hostname, memory, cpu_count, status_name, boot_mac, power_state, power_address and boot_ip';

/** A machine as the agent reports it and as GET /nodes answers it (the node driver's MachineSummary). */
export const Machine = v.object(
  {
    hostname: v.pipe(text("a machine's hostname", 255), v.minLength(1, "a machine's hostname must not be empty")),
    memory: count("a machine's memory"),
    cpu_count: count("a machine's cpu_count"),
    status_name: text("a machine's status_name", 64),
    boot_mac: nullableText("a machine's boot_mac", 64),
    power_state: nullableText("a machine's power_state", 64),
    power_address: nullableText("a machine's power_address", 255),
    boot_ip: nullableText("a machine's boot_ip", 64),
  },
  MACHINE,
);

const BOOT_IMAGES = `boot_images must be an object of at most ${MAX_IMAGES} image names, each to a list of at most ${MAX_KERNELS} kernel names`;

const bootImages = v.pipe(
  v.unknown(),
  v.check((x) => typeof x === 'object' && x !== null && !Array.isArray(x), BOOT_IMAGES),
  v.record(
    v.pipe(text('an image name', 64), v.minLength(1, BOOT_IMAGES)),
    v.pipe(v.array(text('a kernel name', 64), BOOT_IMAGES), v.maxLength(MAX_KERNELS, BOOT_IMAGES)),
    BOOT_IMAGES,
  ),
  v.check((images) => Object.keys(images).length <= MAX_IMAGES, BOOT_IMAGES),
);

export const InventoryBody = fieldsOf('Request body must be a JSON object with taken, node_driver, machines and boot_images.', {
  taken: v.pipe(v.string('taken must be an ISO 8601 time'), v.isoTimestamp('taken must be an ISO 8601 time'), v.transform((s) => new Date(s))),
  node_driver: v.pipe(text('node_driver', 64), v.minLength(1, 'node_driver must not be empty')),
  machines: v.pipe(
    v.array(Machine, `machines must be a list of at most ${MAX_MACHINES} machines`),
    v.maxLength(MAX_MACHINES, `machines must be a list of at most ${MAX_MACHINES} machines`),
  ),
  boot_images: bootImages,
});

export type Inventory = v.InferOutput<typeof InventoryBody>;
