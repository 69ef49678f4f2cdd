export { meshRules, meshChecks } from './meshRules';
export type { MeshRule, Verdict } from './rule';
export {
  remoteSecretLinks,
  holdsRemoteSecretFor,
} from './rules/remoteSecretGraph';
