export { DynamoGuestStore, type DynamoGuestStoreProps } from './dynamo-guest-store';
export { ensureTable } from './ensure-table';
export { DuplicatePersonError, InvalidCursorError, StoreUnavailableError } from './errors';
export type { DynamoObserver, GuestPage, GuestStore } from './guest-store';
