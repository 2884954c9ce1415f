// The boot data bench's design (bench/bootdata.ts): generateSite(n) with one
// signaling boot action of 10 assets for every node, 5 systemd units and 5
// shell scripts, inline base64 through [base64_decode, utf8_decode, template].
import { generateSite } from './site-generator.ts';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const unit = (i: number) =>
  `[Unit]\nDescription=bench step ${i} on {{ node.hostname }}\nAfter=network-online.target\nWants=network-online.target\n\n` +
  `[Service]\nType=oneshot\nEnvironment=NODE={{ node.hostname }} DOMAIN={{ node.domain }}\nExecStart=/opt/bench/bin/step-${i}.sh\n` +
  `RemainAfterExit=yes\n\n[Install]\nWantedBy=multi-user.target\n`;
const script = (i: number) =>
  `#!/bin/bash\nset -euo pipefail\n# step ${i} of the bench boot action\n` +
  `echo "step ${i} on {{ node.hostname }} ({{ node.network.mgmt.ip }})"\n` +
  `for tag in {% for t in node.tags %}{{ t }} {% endfor %}; do echo "tag $tag"; done\n`.repeat(4) +
  `curl -sSf -X POST -H 'Content-Type: application/json' -H "X-Bootaction-Key: {{ action.action_key }}" \\\n` +
  `  -d '{"status": "success", "details": [{"message": "step ${i} done", "error": false}]}' \\\n` +
  `  {{ action.report_url }}{{ action.action_id }}/\n`;

function assetYaml(type: 'unit' | 'file', i: number): string {
  const [path, perms, body] = type === 'unit' ? [`/etc/systemd/system/bench-${i}.service`, '644', unit(i)] : [`/opt/bench/bin/step-${i}.sh`, '755', script(i)];
  return `    - path: ${path}\n      type: ${type}\n      permissions: '${perms}'\n      data: ${b64(body)}\n      data_pipeline: [base64_decode, utf8_decode, template]\n`;
}

/** generateSite(nodes) with its own boot actions replaced by one of 10 assets that targets every node. */
export function benchDesign(nodes = 4): string {
  const base = generateSite(nodes).yaml;
  const cut = base.indexOf('---\nschema: drydock/BootAction/v1');
  const assets = [0, 1, 2, 3, 4].flatMap((i) => [assetYaml('unit', i), assetYaml('file', i)]).join('');
  return (
    `${base.slice(0, cut)}---\nschema: drydock/BootAction/v1\nmetadata:\n  schema: metadata/Document/v1\n  name: bench-assets\n` +
    `  layeringDefinition: {abstract: false, layer: site}\n  storagePolicy: cleartext\ndata:\n  signaling: true\n  assets:\n${assets}...\n`
  );
}
