import type { HttpClientKind, HttpSpec } from './http-operation';
import type { LoadShape } from './run-load';

/** Where the SDK floors send their requests: the same DynamoDB Local and table as the service. */
export interface DynamoTarget {
  readonly endpoint: string;
  readonly region: string;
  readonly tableName: string;
  readonly guardTableName: string;
}

/** A serializable unit of load the parent hands to the load process. */
export type Scenario =
  | {
      readonly kind: 'http';
      readonly name: string;
      readonly spec: HttpSpec;
      readonly shape: LoadShape;
      /** The load process's HTTP client. */
      readonly client: HttpClientKind;
    }
  | {
      readonly kind: 'ddb-get';
      readonly name: string;
      readonly target: DynamoTarget;
      /** Existing guest keys; one is picked at random per request. */
      readonly seqNums: readonly string[];
      readonly shape: LoadShape;
    }
  | {
      readonly kind: 'ddb-scan';
      readonly name: string;
      readonly target: DynamoTarget;
      /** Scan's Limit, and the number of items each call must return. */
      readonly limit: number;
      readonly shape: LoadShape;
    }
  | {
      readonly kind: 'ddb-transact';
      readonly name: string;
      readonly target: DynamoTarget;
      /** First person id; each transaction takes the next one, so none conflicts on its guard. */
      readonly idFrom: number;
      readonly shape: LoadShape;
    };

/** Messages between the parent and the load process. */
export type ToLoad = { readonly type: 'run'; readonly scenario: Scenario } | { readonly type: 'exit' };
export type FromLoad =
  | { readonly type: 'ready' }
  | { readonly type: 'result'; readonly result: import('./stats').ScenarioResult };
