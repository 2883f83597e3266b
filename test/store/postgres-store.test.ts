import { afterAll, beforeAll } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { describeStoreContract } from '../../src/store/store-contract.js';
import { describeGroupContract } from '../../src/store/store-group-contract.js';
import { type PostgresServer, startPostgres } from './postgres-server.js';

let server: PostgresServer;
beforeAll(async () => {
  server = await startPostgres();
});
afterAll(async () => {
  await server?.stop();
});

// Each test gets an empty database on the real server.
describeStoreContract('PostgresStore', async () => PostgresStore.open(await server.createDatabase()));
describeGroupContract('PostgresStore', async () => PostgresStore.open(await server.createDatabase()));
