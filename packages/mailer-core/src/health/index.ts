export * from './health-record';
export * from './health-store';
export * from './in-memory-health-store';
export * from './circuit-breaker';
