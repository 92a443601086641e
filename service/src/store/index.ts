// The store's public surface: the DynamoDB store, table setup, errors, keys and the store interface.
export { DynamoGuestStore, type DynamoGuestStoreProps } from './dynamo-guest-store';
export { ensureGuestTables, ensureTable } from './ensure-table';
export { DuplicatePersonError, InvalidCursorError, StoreUnavailableError } from './errors';
export * from './guard-keys';
export type { DynamoObserver, GuestPage, GuestStore } from './guest-store';
