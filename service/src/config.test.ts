import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config';

const noFile = () => {
  throw new Error('ENOENT: no such file');
};

describe('parseConfig', () => {
  it('should apply the defaults', () => {
    const config = parseConfig({}, noFile, '/repo');
    expect(config).toMatchObject({
      port: 1111,
      metricsPort: 9464,
      tableName: 'GuestList',
      guardTableName: 'GuestList-guards',
      region: 'eu-west-1',
      endpointUrl: undefined,
      apiTokens: [],
      apiTokensFile: undefined,
      authRequired: false,
      logLevel: 'info',
      environment: 'local',
      publicDir: '/repo/service/public',
      createTable: false,
      requestBudgetMs: 3000,
      useLocalCredentials: false,
    });
  });

  it('should read every variable', () => {
    const config = parseConfig(
      {
        PORT: '8080',
        METRICS_PORT: '9100',
        DDB_TABLE: 'GuestList-dev',
        DDB_GUARD_TABLE: 'GuestGuards-dev',
        AUTH_REQUIRED: 'true',
        AWS_REGION: 'us-east-1',
        DDB_ENDPOINT_URL: 'http://localhost:8000',
        API_TOKENS: 'aaaaaaaaaaaaaaaa, bbbbbbbbbbbbbbbb',
        LOG_LEVEL: 'warn',
        ENVIRONMENT: 'dev',
        PUBLIC_DIR: '/srv/public',
        DDB_CREATE_TABLE: 'true',
        SHUTDOWN_DRAIN_MS: '100',
        SHUTDOWN_TIMEOUT_MS: '200',
        DDB_REQUEST_BUDGET_MS: '150',
      },
      noFile,
      '/repo',
    );
    expect(config).toMatchObject({
      port: 8080,
      metricsPort: 9100,
      tableName: 'GuestList-dev',
      guardTableName: 'GuestGuards-dev',
      authRequired: true,
      region: 'us-east-1',
      endpointUrl: 'http://localhost:8000',
      apiTokens: ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb'],
      logLevel: 'warn',
      environment: 'dev',
      publicDir: '/srv/public',
      createTable: true,
      drainDelayMs: 100,
      shutdownTimeoutMs: 200,
      requestBudgetMs: 150,
      useLocalCredentials: true,
    });
  });

  it('should read tokens from API_TOKENS_FILE, one per line', () => {
    const config = parseConfig({ API_TOKENS_FILE: '/run/secrets/tokens', AUTH_REQUIRED: 'true' }, (path) =>
      path === '/run/secrets/tokens' ? 'cccccccccccccccc\ndddddddddddddddd\n' : '',
    );
    expect(config.apiTokens).toEqual(['cccccccccccccccc', 'dddddddddddddddd']);
    expect(config.apiTokensFile).toEqual({
      path: '/run/secrets/tokens',
      tokens: ['cccccccccccccccc', 'dddddddddddddddd'],
    });
    expect(config.authRequired).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, 'Invalid configuration: PORT="abc" must be an integer from 0 to 65535'],
    [{ PORT: '70000' }, 'Invalid configuration: PORT="70000" must be an integer from 0 to 65535'],
    [
      { LOG_LEVEL: 'loud' },
      'Invalid configuration: LOG_LEVEL="loud" must be one of debug, info, warn, error, silent',
    ],
    [
      { DDB_ENDPOINT_URL: 'localhost:8000' },
      'Invalid configuration: DDB_ENDPOINT_URL="localhost:8000" must be an http(s) URL, e.g. http://localhost:8000',
    ],
    [
      { AWS_REGION: 'Ireland' },
      'Invalid configuration: AWS_REGION="Ireland" must look like an AWS region, e.g. eu-west-1',
    ],
    [
      { DDB_TABLE: 'a b' },
      'Invalid configuration: DDB_TABLE="a b" must be 3-255 characters of A-Z a-z 0-9 _ . -',
    ],
    [
      { PORT: 'x', DDB_CREATE_TABLE: 'yes' },
      'Invalid configuration: PORT="x" must be an integer from 0 to 65535; DDB_CREATE_TABLE="yes" must be one of true, false, 1, 0',
    ],
    [
      { API_TOKENS: 'aaaaaaaaaaaaaaaa,short' },
      'Invalid configuration: API_TOKENS: token 2 (5 characters) must be at least 16 characters of A-Z a-z 0-9 . _ ~ + / - (optionally ending in =)',
    ],
    [
      { API_TOKENS: 'has space in it!!!!' },
      'Invalid configuration: API_TOKENS: token 1 (19 characters) must be at least 16 characters of A-Z a-z 0-9 . _ ~ + / - (optionally ending in =)',
    ],
    [
      { API_TOKENS: ' , ,' },
      'Invalid configuration: API_TOKENS holds no tokens; it must hold at least one token, comma- or newline-separated',
    ],
    [
      { AUTH_REQUIRED: 'true' },
      'Invalid configuration: AUTH_REQUIRED=true but no token source is set; set API_TOKENS or API_TOKENS_FILE (the service never serves /guests without authentication when it is required)',
    ],
    [{ AUTH_REQUIRED: 'yes' }, 'Invalid configuration: AUTH_REQUIRED="yes" must be one of true, false, 1, 0'],
    [
      { PORT: '9000', METRICS_PORT: '9000' },
      'Invalid configuration: METRICS_PORT="9000" must differ from PORT (metrics are never served on the API port)',
    ],
    [
      { DDB_TABLE: 'Guests', DDB_GUARD_TABLE: 'Guests' },
      'Invalid configuration: DDB_GUARD_TABLE="Guests" must differ from DDB_TABLE',
    ],
    [
      { DDB_TABLE: 'x'.repeat(250) },
      `Invalid configuration: DDB_GUARD_TABLE="${'x'.repeat(250)}-guards" (DDB_TABLE + "-guards") must be 3-255 characters of A-Z a-z 0-9 _ . -; set DDB_GUARD_TABLE`,
    ],
    [
      { DDB_REQUEST_BUDGET_MS: '50' },
      'Invalid configuration: DDB_REQUEST_BUDGET_MS="50" must be an integer from 100 to 30000',
    ],
    [
      { SHUTDOWN_TIMEOUT_MS: '2000' },
      'Invalid configuration: DDB_REQUEST_BUDGET_MS="3000" must not exceed SHUTDOWN_TIMEOUT_MS="2000" (requests in flight at shutdown must be able to finish)',
    ],
    [
      { API_TOKENS_FILE: '/nope' },
      'Invalid configuration: API_TOKENS_FILE="/nope" must be a readable file (ENOENT: no such file)',
    ],
  ])('should reject %j naming the variable', (env, message) => {
    expect(() => parseConfig(env, noFile)).toThrow(new ConfigError(message));
  });

  it('should refuse an empty tokens file whether or not auth is required (fails closed)', () => {
    const empty = () => '\n \n';
    const message =
      'Invalid configuration: API_TOKENS_FILE="/run/secrets/tokens" holds no tokens; it must hold at least one token, comma- or newline-separated';
    expect(() => parseConfig({ API_TOKENS_FILE: '/run/secrets/tokens' }, empty)).toThrow(
      new ConfigError(message),
    );
    expect(() =>
      parseConfig({ API_TOKENS_FILE: '/run/secrets/tokens', AUTH_REQUIRED: 'true' }, empty),
    ).toThrow(new ConfigError(message));
  });

  it('should treat empty values as unset', () => {
    expect(parseConfig({ PORT: '', DDB_ENDPOINT_URL: '' }, noFile)).toMatchObject({
      port: 1111,
      endpointUrl: undefined,
    });
  });
});
