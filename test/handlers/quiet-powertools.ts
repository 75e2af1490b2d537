/**
 * Imported first by handler tests: turns the Powertools logger and metrics output off before the observability
 * singletons are created, so test output stays readable. (The metrics test file turns metrics on instead.)
 */
process.env['POWERTOOLS_LOG_LEVEL'] ??= 'SILENT';
process.env['POWERTOOLS_METRICS_DISABLED'] ??= 'true';

export {};
