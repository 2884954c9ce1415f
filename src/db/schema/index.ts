export * from './tasks.ts';
export * from './bootactions.ts';
export * from './builddata.ts';
export * from './designs.ts';
export * from './fakelab.ts';
export * from './ratelimit.ts';
export * from './health.ts';
export * from './node-claims.ts';
