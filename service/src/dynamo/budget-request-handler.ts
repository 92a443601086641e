// Wraps the SDK's HTTP handler so each attempt is aborted when its request's time budget runs out.
import type { HttpHandler, HttpRequest, HttpResponse } from '@smithy/core/protocols';
import type { HttpHandlerOptions, RequestHandlerMetadata } from '@smithy/types';
import { budgetOfAttempt } from './call-budget';

/**
 * The SDK's request handler, bounded by the budget of the call the attempt belongs to (see
 * call-budget.ts): every attempt gets the budget's abort signal, so at the deadline the socket is
 * destroyed (no answer is awaited behind a request that was already answered, and no half-read keep-alive
 * socket goes back to the pool). A call
 * without a budget (start-up, tools) gets the plain handler.
 *
 * It composes the public `HttpHandler` interface rather than passing `{ abortSignal }` to each
 * `client.send`: per-call options make the SDK drop its per-command middleware cache (`cacheMiddleware`).
 */
export class BudgetRequestHandler<Options extends object> implements HttpHandler<Options> {
  readonly metadata: RequestHandlerMetadata | undefined;

  constructor(private readonly inner: HttpHandler<Options>) {
    this.metadata = inner.metadata;
  }

  async handle(request: HttpRequest, options: HttpHandlerOptions = {}): Promise<{ response: HttpResponse }> {
    const budget = budgetOfAttempt(request);
    if (budget === undefined) return this.inner.handle(request, options);
    // A spent budget fails the attempt before it gets here (call-budget.ts); if it ran out in between, the
    // signal is already aborted and the inner handler refuses to connect.
    const signal =
      options.abortSignal === undefined
        ? budget.signal
        : AbortSignal.any([options.abortSignal as AbortSignal, budget.signal]);
    try {
      return await this.inner.handle(request, { ...options, abortSignal: signal });
    } catch (err) {
      // The handler's AbortError says only "Request aborted"; say why.
      if (budget.signal.aborted) throw budget.exceeded();
      throw err;
    }
  }

  updateHttpClientConfig<K extends keyof Options>(key: K, value: Options[K]): void {
    this.inner.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): Options {
    return this.inner.httpHandlerConfigs();
  }

  destroy(): void {
    this.inner.destroy?.();
  }
}
