/**
 * Where a step reports progress: the scaffolder task log, the CLI's stderr.
 *
 * @public
 */
export interface StepLog {
  info(message: string): void;
  warn(message: string): void;
}
