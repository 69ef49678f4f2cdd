import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  AwsIamStrategy,
  AzureIdentityStrategy,
  GoogleServiceAccountStrategy,
} from '@backstage/plugin-kubernetes-backend';
import { AuthenticationStrategy } from '@backstage/plugin-kubernetes-node';

/** The auth providers that sign in through a cloud identity, as the kubernetes plugin names them. */
export const CLOUD_AUTH_PROVIDERS = ['aws', 'azure', 'googleServiceAccount'];

/**
 * The kubernetes backend's own strategies, so EKS, AKS and GKE clusters sign in exactly
 * as the Kubernetes tab does: AWS IAM (optionally assuming a role), Azure workload or
 * managed identity, a Google service account.
 *
 * @public
 */
export function defaultCloudStrategies(
  config: Config,
  logger?: LoggerService,
): Record<string, AuthenticationStrategy> {
  const strategies: Record<string, AuthenticationStrategy> = {
    aws: new AwsIamStrategy({ config }),
    googleServiceAccount: new GoogleServiceAccountStrategy({ config }),
  };
  if (logger) strategies.azure = new AzureIdentityStrategy(logger);
  return strategies;
}
