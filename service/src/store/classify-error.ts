// Sorts DynamoDB SDK errors: the infrastructure's faults become StoreUnavailableError (a 503), anything else
// stays a bug (a 500).
import { UNDICI_CONNECTION_CODES } from '../dynamo/broken-answers';
import { RequestBudgetExceededError } from '../dynamo/request-budget';
import { StoreUnavailableError } from './errors';

const UNAVAILABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'LimitExceededException',
  'InternalServerError',
  'ServiceUnavailable',
  'TransactionInProgressException',
  'TimeoutError',
  'RequestTimeout',
  'CredentialsProviderError',
]);

/** Socket-level failures: the answer never came, or was cut off (a 2xx whose body broke off mid-way). */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  ...UNDICI_CONNECTION_CODES,
]);

type SdkLikeError = Error & {
  $fault?: string;
  $metadata?: { httpStatusCode?: number };
  code?: string;
};

/**
 * Maps an SDK error to StoreUnavailableError when it is the infrastructure's fault (network, timeout,
 * throttling, 5xx, credentials), so callers answer 503 + Retry-After (a missing table is the store's
 * StoreMisconfiguredError, never a passing fault); anything else (a bug on our
 * side, e.g. ValidationException) is returned unchanged and ends up as a 500.
 */
export function classifyError(operation: string, err: unknown): unknown {
  if (!(err instanceof Error) || err instanceof StoreUnavailableError) return err;
  if (err instanceof RequestBudgetExceededError) {
    return new StoreUnavailableError(operation, err.message, { cause: err });
  }
  const e = err as SdkLikeError;
  const status = e.$metadata?.httpStatusCode;
  const isClientFault = status !== undefined && status >= 400 && status < 500;
  if (UNAVAILABLE_NAMES.has(e.name)) {
    return new StoreUnavailableError(operation, e.name, { cause: err });
  }
  if (e.code !== undefined && NETWORK_CODES.has(e.code)) {
    return new StoreUnavailableError(operation, e.code, { cause: err });
  }
  if (isClientFault) return err;
  // No HTTP status at all means the request never got an answer: connection refused/reset, DNS, timeout.
  if (status === undefined || status >= 500 || e.$fault === 'server') {
    return new StoreUnavailableError(operation, e.code ?? e.name, { cause: err });
  }
  return err;
}
