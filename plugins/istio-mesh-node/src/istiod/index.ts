export { readIstiodDebug, shardCounts } from './debugEndpoints';
export type {
  IstiodEndpointShards,
  IstiodNetworkGateway,
  IstiodRemoteCluster,
} from './debugEndpoints';
