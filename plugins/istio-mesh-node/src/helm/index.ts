export { HelmRunner, HelmError } from './helmRunner';
export type { HelmRelease, HelmInstall } from './helmRunner';
export { chartArgs } from './chartSource';
export type { ChartSource } from './chartSource';
