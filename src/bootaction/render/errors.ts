/**
 * A boot action asset that could not be produced. The API answers 502 for
 * `fetch` (its location could not be fetched) and 500 for `render`; the
 * message names the boot action and the asset, and is safe to return and
 * log: it never holds a key (see scrubSecrets).
 */
export type AssetErrorKind = 'fetch' | 'render';

export class AssetError extends Error {
  readonly actionName: string;
  readonly assetPath: string | null;
  readonly kind: AssetErrorKind;

  /**
   * @param reason why, already free of secrets
   * @param assetIndex the asset's position in its boot action (0-based), to name an asset without a path
   */
  constructor(actionName: string, assetPath: string | null, kind: AssetErrorKind, reason: string, assetIndex?: number) {
    const asset = assetPath ?? (assetIndex === undefined ? 'without a path' : `#${assetIndex + 1}`);
    super(`Boot action ${actionName}, asset ${asset}: ${reason}`);
    this.name = 'AssetError';
    this.actionName = actionName;
    this.assetPath = assetPath;
    this.kind = kind;
  }
}

/** 256-bit keys travel as 64 hex digits; no such run belongs in an error message. */
const KEY_LIKE = /[0-9a-fA-F]{64,}/g;

/** Masks the given secrets, and anything shaped like a key, in a message. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 8) out = out.replaceAll(secret, '***');
  return out.replace(KEY_LIKE, '***');
}
