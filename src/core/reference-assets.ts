/**
 * Swagger UI's script and stylesheet (npm swagger-ui-dist), which the API
 * reference page (GET /api/v1.0/docs) serves from this server: Node and Deno
 * read them from node_modules, the Worker bundle carries them as text modules.
 */
export interface ReferenceAssets {
  /** swagger-ui-bundle.js */
  script: string;
  /** swagger-ui.css */
  stylesheet: string;
}

/** Reads them once, when the page is first asked for. */
export type LoadReferenceAssets = () => Promise<ReferenceAssets>;
