export type { StepLog } from './stepLog';
export { waitFor } from './waitFor';
