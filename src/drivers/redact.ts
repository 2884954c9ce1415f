const MASK = '[credential hidden]';

/**
 * Text with every occurrence of each secret (a BMC credential, a MAAS key,
 * a node key) replaced, for messages and logs.
 */
export function withoutSecrets(text: string, secrets: readonly (string | null | undefined)[]): string {
  let out = text;
  for (const secret of secrets) if (secret) out = out.split(secret).join(MASK);
  return out;
}
