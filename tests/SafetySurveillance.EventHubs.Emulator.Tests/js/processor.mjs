// Two EventHubConsumerClients with the official blob checkpoint store (Azurite) share a hub on the emulator.
// Usage: node processor.mjs balance <json arguments>; prints one JSON line.
import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition } from "@azure/event-hubs";
import { BlobCheckpointStore } from "@azure/eventhubs-checkpointstore-blob";
import { ContainerClient } from "@azure/storage-blob";

const [, rawArgs] = process.argv.slice(2);
const { connectionString, hub, storageConnectionString, container, perPartition } = JSON.parse(rawArgs);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function sendRound(label) {
  const producer = new EventHubProducerClient(connectionString, hub);
  const ids = await producer.getPartitionIds();
  for (const id of ids) {
    const batch = await producer.createBatch({ partitionId: id });
    for (let i = 0; i < perPartition; i++) batch.tryAdd({ body: `${label}-${id}-${i}` });
    await producer.sendBatch(batch);
  }
  await producer.close();
  return ids;
}

function startConsumer(name, store, log) {
  const client = new EventHubConsumerClient("$Default", connectionString, hub, store, {
    identifier: name,
    loadBalancingOptions: { strategy: "balanced", updateIntervalInMs: 300, partitionOwnershipExpirationIntervalInMs: 10000 },
  });
  const subscription = client.subscribe({
    processInitialize: async (context) => { log.push({ consumer: name, kind: "init", partitionId: context.partitionId }); },
    processClose: async (reason, context) => { log.push({ consumer: name, kind: "close", partitionId: context.partitionId, reason }); },
    processEvents: async (events, context) => {
      for (const e of events) log.push({ consumer: name, kind: "event", partitionId: context.partitionId, body: e.body, sequenceNumber: e.sequenceNumber });
      if (events.length > 0) await context.updateCheckpoint(events[events.length - 1]);
    },
    processError: async (error, context) => { log.push({ consumer: name, kind: "error", partitionId: context.partitionId, code: error.code ?? error.name, message: String(error.message) }); },
  }, { startPosition: earliestEventPosition, maxBatchSize: 50, maxWaitTimeInSeconds: 1 });
  return { client, subscription };
}

async function waitFor(predicate, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await predicate()) return true;
    await sleep(100);
  }
  return false;
}

const containerClient = new ContainerClient(storageConnectionString, container);
await containerClient.createIfNotExists();
const store = new BlobCheckpointStore(containerClient);
const log = [];
const started = Date.now();
try {
  const ids = await sendRound("first");
  const a = startConsumer("A", store, log);
  const firstDone = await waitFor(() => log.filter((l) => l.kind === "event" && l.body.startsWith("first")).length >= ids.length * perPartition, 30000);

  const b = startConsumer("B", store, log);
  const ownersOf = async () => {
    const ownership = await store.listOwnership(new URL(`http://${connectionString.match(/sb:\/\/([^;/:]+)/)[1]}`).hostname, hub, "$Default");
    return ownership.filter((o) => o.ownerId).map((o) => ({ partitionId: o.partitionId, ownerId: o.ownerId }));
  };
  const balanced = await waitFor(async () => {
    const owners = await ownersOf();
    const counts = {};
    for (const o of owners) counts[o.ownerId] = (counts[o.ownerId] ?? 0) + 1;
    const values = Object.values(counts);
    return owners.length === ids.length && values.length === 2 && values.every((v) => v === ids.length / 2)
      && log.filter((l) => l.consumer === "B" && l.kind === "init").length >= ids.length / 2;
  }, 30000);
  await sleep(1500);

  await sendRound("second");
  const secondDone = await waitFor(() => new Set(log.filter((l) => l.kind === "event" && l.body.startsWith("second")).map((l) => l.body)).size >= ids.length * perPartition, 30000);
  const owners = await ownersOf();
  const checkpoints = (await store.listCheckpoints(new URL(`http://${connectionString.match(/sb:\/\/([^;/:]+)/)[1]}`).hostname, hub, "$Default"))
    .map((c) => ({ partitionId: c.partitionId, sequenceNumber: c.sequenceNumber, offset: String(c.offset) }));

  await a.subscription.close();
  await b.subscription.close();
  await a.client.close();
  await b.client.close();
  console.log(JSON.stringify({ ok: true, ms: Date.now() - started, result: { firstDone, balanced, secondDone, owners, checkpoints, log } }));
  process.exit(0);
} catch (error) {
  console.log(JSON.stringify({ ok: false, ms: Date.now() - started, error: { message: String(error?.message ?? error) }, stack: error?.stack, log }));
  process.exit(1);
}
