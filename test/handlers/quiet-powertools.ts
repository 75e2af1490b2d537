/**
 * A setup file of the shared test project (vitest.config.ts): turns the Powertools logger and metrics output off
 * before the observability singletons are created, whatever a test file imports first, so test output stays
 * readable. Handler tests also import it first, which keeps them quiet when run with another config. (The isolated
 * metrics test file turns metrics on instead.)
 */
process.env['POWERTOOLS_LOG_LEVEL'] ??= 'SILENT';
process.env['POWERTOOLS_METRICS_DISABLED'] ??= 'true';

export {};
