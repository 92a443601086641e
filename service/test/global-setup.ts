import type { TestProject } from 'vitest/node';
import { startDynamoLocal } from './ddb-local';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Endpoint of the DynamoDB Local shared by the service test files (each file uses its own table). */
    ddbEndpoint: string;
  }
}

/** Starts one DynamoDB Local for the whole service project and stops it afterwards. */
export default async function setup(project: TestProject) {
  // The SDK warns once per process that it will need Node 22; noise in test output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const ddb = await startDynamoLocal();
  project.provide('ddbEndpoint', ddb.endpoint);
  return () => ddb.stop();
}
