// The ESM build of LiquidJS without Node built-ins (fs, path, stream), which
// workerd cannot load. The package has no `exports`, so bundlers pick the
// Node build unless they apply its `browser` map (wrangler does, a
// platform-neutral esbuild does not); importing this file directly works
// with every bundler and on Node and Deno. Its API is the package's.
declare module 'liquidjs/dist/liquid.browser.mjs' {
  export * from 'liquidjs';
}
