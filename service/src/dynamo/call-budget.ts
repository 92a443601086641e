// Ties each DynamoDB call, its attempts and its failures to the request budget they run under, so the request
// handler and the retry strategy can read it.
import type {
  DeserializeHandler,
  DeserializeHandlerArguments,
  FinalizeHandler,
  FinalizeHandlerArguments,
  MetadataBearer,
  MiddlewareStack,
} from '@smithy/types';
import type { RequestBudget } from './request-budget';

// Which request budget a DynamoDB call, each of its attempts and each of its failures belong to. The keys are
// the SDK's own per-call objects (the command's input, the attempt's signed HTTP request, the error thrown),
// held weakly, so nothing outlives the call. This is how the budget reaches the request handler and the retry
// strategy without `AsyncLocalStorage` (slow on Node 20) and without per-call `send` options (which make the
// SDK drop its cached middleware stack: both measured by `npm run bench:budget`).
const byInput = new WeakMap<object, RequestBudget>();
const byRequest = new WeakMap<object, RequestBudget>();
const byError = new WeakMap<object, RequestBudget>();

/**
 * Puts the SDK command under `budget` (none: the call has only its per-attempt timeout) and returns it. The
 * budget is keyed by the command's input object, so each call needs an input of its own (the store builds
 * one per call); only clients from createDynamoClient carry the middlewares that read it.
 */
export function withinBudget<C extends { readonly input: object }>(command: C, budget?: RequestBudget): C {
  if (budget !== undefined) byInput.set(command.input, budget);
  return command;
}

/** The budget of the call this HTTP request (one attempt, as signed) belongs to. */
export const budgetOfAttempt = (request: object): RequestBudget | undefined => byRequest.get(request);

/** The budget of the call that failed with `error`, as the retry strategy sees it. */
export const budgetOfFailure = (error: unknown): RequestBudget | undefined =>
  typeof error === 'object' && error !== null ? byError.get(error) : undefined;

/**
 * Adds the two middlewares that carry each call's budget to its attempts: one right inside the retry
 * middleware (an attempt with the budget spent fails at once; every failure is tagged for the retry
 * strategy), and one innermost, next to the request handler (the signed request is tagged for the
 * handler, which aborts the attempt at the deadline). Middleware stacks are public API; the client stays
 * cacheable (`cacheMiddleware`), since nothing here changes per call.
 */
export function applyCallBudgets(stack: MiddlewareStack<object, MetadataBearer>): void {
  stack.addRelativeTo(
    (next: FinalizeHandler<object, MetadataBearer>) => async (args: FinalizeHandlerArguments<object>) => {
      const budget = byInput.get(args.input);
      if (budget === undefined) return next(args);
      if (budget.exhausted) throw budget.exceeded();
      try {
        return await next(args);
      } catch (err) {
        if (typeof err === 'object' && err !== null) byError.set(err, budget);
        throw err;
      }
    },
    { name: 'requestBudgetAttempt', relation: 'after', toMiddleware: 'retryMiddleware', override: true },
  );
  stack.add(
    (next: DeserializeHandler<object, MetadataBearer>) => (args: DeserializeHandlerArguments<object>) => {
      const budget = byInput.get(args.input);
      if (budget !== undefined) byRequest.set(args.request as object, budget);
      return next(args);
    },
    { name: 'requestBudgetHandoff', step: 'deserialize', priority: 'low', override: true },
  );
}
