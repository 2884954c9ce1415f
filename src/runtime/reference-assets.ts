/** Node and Deno: Swagger UI's files read from node_modules (npm swagger-ui-dist), once, when first asked for. */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { ReferenceAssets } from '../core/reference-assets.ts';

export async function readReferenceAssets(): Promise<ReferenceAssets> {
  const require = createRequire(import.meta.url);
  const [script, stylesheet] = await Promise.all([
    readFile(require.resolve('swagger-ui-dist/swagger-ui-bundle.js'), 'utf8'),
    readFile(require.resolve('swagger-ui-dist/swagger-ui.css'), 'utf8'),
  ]);
  return { script, stylesheet };
}
