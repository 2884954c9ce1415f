/**
 * Tiny builders for design text in tests. Bodies are written as JSON, which
 * is also YAML (flow style), so a test states exactly the values it means.
 */
export function deckhand(kind: string, name: string, data: unknown, labels?: Record<string, string>): string {
  const meta = labels ? `\n  labels: ${JSON.stringify(labels)}` : '';
  return `---\nschema: drydock/${kind}/v1\nmetadata:\n  schema: metadata/Document/v1\n  name: ${name}${meta}\ndata: ${JSON.stringify(data)}\n`;
}

export function legacy(kind: string, name: string, spec: unknown): string {
  return `---\napiVersion: drydock/v1\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec: ${JSON.stringify(spec)}\n`;
}

export const node = (name: string, extra: Record<string, unknown> = {}) =>
  deckhand('BaremetalNode', name, { addressing: [{ network: 'mgmt', address: '10.0.0.5' }], ...extra });
