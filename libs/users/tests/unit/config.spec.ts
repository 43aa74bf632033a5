import { serviceBaseUrl, userServiceConfigFromEnv, type ParameterReader } from '../../src';

const PARAM = '/slipway/dev/users/service-url';

describe('userServiceConfigFromEnv', () => {
  it('reads the parameter name and the timeout', () => {
    expect(
      userServiceConfigFromEnv({
        USERS_SERVICE_URL_PARAM_NAME: PARAM,
        USER_SERVICE_TIMEOUT_MS: '2500',
      }),
    ).toEqual({ parameterName: PARAM, timeoutMs: 2500 });
  });

  it.each([
    [
      { USER_SERVICE_TIMEOUT_MS: '2500' },
      'USERS_SERVICE_URL_PARAM_NAME must hold the SSM parameter name of the user service\'s base URL (e.g. /slipway/dev/users/service-url): keep "read param:users/service-url" in the manifest\'s permissions, which sets it',
    ],
    [
      { USERS_SERVICE_URL_PARAM_NAME: PARAM, USER_SERVICE_TIMEOUT_MS: '30000' },
      'USER_SERVICE_TIMEOUT_MS must be a whole number of milliseconds from 100 to 10000 (got "30000"): keep two attempts and a pause below the function\'s timeout',
    ],
  ])('refuses %p, naming the variable', (env, message) => {
    expect(() => userServiceConfigFromEnv(env)).toThrow(
      expect.objectContaining({ name: 'UsersConfigurationError', message }),
    );
  });
});

describe('serviceBaseUrl', () => {
  it('reads the parameter with a 300 s cache and checks the URL', async () => {
    // Prepare
    const asked: unknown[][] = [];
    const read: ParameterReader = async (...args) => {
      asked.push(args);
      return 'https://users.internal.example.com/v1';
    };

    // Act
    const url = await serviceBaseUrl(PARAM, { read })();

    // Assess
    expect(url.href).toBe('https://users.internal.example.com/v1');
    expect(asked).toEqual([[PARAM, { maxAge: 300 }]]);
  });

  it.each([
    [
      async () => undefined,
      `SSM parameter ${PARAM} does not exist or is empty: store the user service's base URL in it`,
    ],
    [
      async () => {
        throw Object.assign(new Error('not found'), { name: 'ParameterNotFound' });
      },
      `Cannot read SSM parameter ${PARAM} (ParameterNotFound): create it with the user service's base URL and keep "read param:users/service-url" in the manifest`,
    ],
    [
      async () => 'http://users.internal.example.com',
      `SSM parameter ${PARAM} holds a http:// URL: the user service gets the caller's token, so its base URL must be https:// (http:// only to a loopback host, for the sandbox)`,
    ],
  ] as [ParameterReader, string][])('fails with a clear reason (%#)', async (read, message) => {
    await expect(serviceBaseUrl(PARAM, { read })()).rejects.toMatchObject({
      name: 'UsersConfigurationError',
      message,
    });
  });
});
