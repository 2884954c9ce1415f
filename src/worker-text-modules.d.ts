// Swagger UI's files as text in the Worker bundle (src/worker.ts): wrangler.toml's
// [[rules]] make them Text modules, and the tests' esbuild build does the same
// (test/helpers/worker-bundle.ts). Node and Deno read them from node_modules instead.
declare module 'swagger-ui-dist/swagger-ui-bundle.js' {
  const text: string;
  export default text;
}
declare module 'swagger-ui-dist/swagger-ui.css' {
  const text: string;
  export default text;
}
