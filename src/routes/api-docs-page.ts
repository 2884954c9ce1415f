/**
 * The API reference page: Swagger UI over openapi.json. No inline script or
 * style (the page's Content-Security-Policy allows files from this server
 * only), so the initialisation is a file of its own. Paths are relative to
 * the page (/api/v1.0/docs), so a proxy may serve it under another prefix.
 */
export const REFERENCE_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Drydock API reference</title>
    <link rel="stylesheet" href="docs/swagger-ui.css">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="docs/swagger-ui-bundle.js"></script>
    <script src="docs/init.js"></script>
  </body>
</html>
`;

// validatorUrl null: Swagger UI would otherwise fetch a badge from swagger.io.
export const REFERENCE_SCRIPT = `window.ui = SwaggerUIBundle({
  url: new URL('openapi.json', document.baseURI).href,
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
});
`;
