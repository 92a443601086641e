// Makes DynamoDB attempts whose connection broke while the answer's body was read retryable, as they are with
// the SDK's default HTTP handler.
import type {
  FinalizeHandler,
  FinalizeHandlerArguments,
  MetadataBearer,
  MiddlewareStack,
} from '@smithy/types';

/**
 * undici's codes for a connection that failed: closed or reset by the other side, or silent past a timeout.
 * `@smithy/undici-http-handler` renames such a failure (TimeoutError, RequestTimeout) only while it waits
 * for the answer's headers; one that breaks the answer's body, which the SDK reads afterwards, keeps
 * undici's name and code, which the SDK's retry strategy does not know.
 */
export const UNDICI_CONNECTION_CODES: ReadonlySet<string> = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

const isBrokenConnection = (err: unknown): err is Error & { $retryable?: object } =>
  err instanceof Error && UNDICI_CONNECTION_CODES.has((err as { code?: string }).code ?? '');

/**
 * Makes an attempt whose connection broke while the SDK read the answer's body retryable, as it is with
 * the SDK's default node:http handler (there, ECONNRESET): it gets the SDK's retryable-error trait. The
 * middleware runs once per attempt, right inside the retry middleware.
 */
export function retryBrokenAnswers(stack: MiddlewareStack<object, MetadataBearer>): void {
  stack.addRelativeTo(
    (next: FinalizeHandler<object, MetadataBearer>) => async (args: FinalizeHandlerArguments<object>) => {
      try {
        return await next(args);
      } catch (err) {
        if (isBrokenConnection(err) && err.$retryable === undefined) err.$retryable = { throttling: false };
        throw err;
      }
    },
    { name: 'retryBrokenAnswers', relation: 'after', toMiddleware: 'retryMiddleware', override: true },
  );
}
