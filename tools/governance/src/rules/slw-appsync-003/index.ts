import { blocks, isUnknown, resourcesOfType } from '../../model';
import { cannotVerify, findingFor, type Finding, type Rule } from '../types';

/**
 * SLW-APPSYNC-003 — AppSync APIs authenticate callers (no API keys).
 *
 * Neither `authentication_type` nor an `additional_authentication_provider` is `API_KEY`: a key is
 * shared by every client that holds it, identifies no caller, and gives the resolvers no token to
 * forward to the services behind them. Cognito user pools, OIDC, a Lambda authorizer or IAM pass.
 * No checkov or trivy check covers it.
 * https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html
 */
export const rule: Rule = {
  id: 'SLW-APPSYNC-003',
  title: 'AppSync API does not accept API keys',
  severity: 'high',
  rationale:
    'An API key is a static shared secret, shipped in clients and rarely rotated: whoever extracts it calls the API, and the resolvers cannot tell callers apart or forward their identity.',
  fix: 'Use authentication_type = "AMAZON_COGNITO_USER_POOLS" or "AWS_LAMBDA" (terraform/modules/graphql-api offers only these) and remove API_KEY providers.',
  checkov: [],
  trivy: [],
  noPublicEquivalent:
    'checkov and trivy do not check AppSync authentication types; API_KEY as a default or additional provider is our own policy (callers must be identified for the role checks).',
  profiles: { baseline: {}, strict: {} },
  check(model, _profile, context) {
    const out: Finding[] = [];
    for (const api of resourcesOfType(model, 'aws_appsync_graphql_api')) {
      const type = api.attributes.authentication_type;
      if (isUnknown(type))
        cannotVerify(this, api, 'the authentication type', type, 'authentication_type', context);
      if (type === 'API_KEY')
        out.push(
          findingFor(this, api, 'authentication_type is "API_KEY": callers are not identified.'),
        );
      const extra = blocks(api.attributes, 'additional_authentication_provider');
      if (isUnknown(extra)) {
        cannotVerify(
          this,
          api,
          'the additional authentication providers',
          extra,
          'additional_authentication_provider',
          context,
        );
        continue;
      }
      extra.forEach((p, i) => {
        if (isUnknown(p.authentication_type))
          cannotVerify(
            this,
            api,
            'the additional authentication providers',
            p.authentication_type,
            'additional_authentication_provider',
            context,
          );
        if (p.authentication_type === 'API_KEY')
          out.push(
            findingFor(
              this,
              api,
              `additional_authentication_provider[${i}].authentication_type is "API_KEY": callers with the key are not identified.`,
            ),
          );
      });
    }
    return out;
  },
};
