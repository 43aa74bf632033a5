import { TerraformProvider } from 'cdktn';
import type { Construct } from 'constructs';

/** Version range of hashicorp/aws the stacks and modules are tested with. */
export const AWS_PROVIDER_CONSTRAINT = '>= 5.70, < 7.0';

/** The provider settings the stacks use. */
export interface AwsProviderConfig {
  region: string;
  allowedAccountIds: string[];
  defaultTags: Record<string, string>;
}

/**
 * A minimal `hashicorp/aws` provider block. The stacks compose HCL modules that hold every
 * resource, so the ~390 MB generated provider bindings (which target provider 6.x) are not
 * needed; this class emits just the provider configuration.
 */
export class AwsProvider extends TerraformProvider {
  constructor(
    scope: Construct,
    id: string,
    private readonly config: AwsProviderConfig,
  ) {
    super(scope, id, {
      terraformResourceType: 'aws',
      terraformGeneratorMetadata: {
        providerName: 'aws',
        providerVersionConstraint: AWS_PROVIDER_CONSTRAINT,
      },
      terraformProviderSource: 'hashicorp/aws',
    });
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      region: this.config.region,
      allowed_account_ids: this.config.allowedAccountIds,
      default_tags: [{ tags: this.config.defaultTags }],
    };
  }
}
