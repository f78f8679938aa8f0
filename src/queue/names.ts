// Queue names. Keys are `${prefix}:${name}:...` (BullMQ `prefix`), so a prefix isolates a deployment
// or a test run.
export const SCAN_QUEUE = 'scan';
export const RESULTS_QUEUE = 'scan-results';
export const SCAN_JOB = 'scan';
export const RESULT_JOB = 'result';
