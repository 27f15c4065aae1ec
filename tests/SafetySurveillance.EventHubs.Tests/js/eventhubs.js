// Drives the official @azure/event-hubs against the emulator and prints JSON.
//   node eventhubs.js send <connection string> <hub> <partitionId|-> <partitionKey|-> <events json>
//   node eventhubs.js receive <connection string> <hub> <consumer group> <partitionId> <count>
//   node eventhubs.js process <connection string> <hub> <consumer group> <storage connection string> <container> <count>
//     (subscribe to all partitions with the official blob checkpoint store, checkpoint every batch, stop after count events)
// Events json: [{ "kind": "bytes"|"string"|"object", "body": ..., "properties": {...}, "contentType", "messageId", "correlationId" }]
// Property values in the json may be { "date": iso } for a Date.
const { EventHubProducerClient, EventHubConsumerClient, earliestEventPosition } = require("@azure/event-hubs");

function describe(value) {
  if (value instanceof Date) return `date:${value.toISOString()}`;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `bytes:${Buffer.from(value).toString("base64")}`;
  return `${typeof value}:${value}`;
}

function toEvent(spec) {
  const body = spec.kind === "bytes" ? Buffer.from(spec.body, "utf8") : spec.body;
  const properties = {};
  for (const [key, value] of Object.entries(spec.properties ?? {})) {
    properties[key] = value && typeof value === "object" && value.date ? new Date(value.date) : value;
  }
  return { body, properties, contentType: spec.contentType, messageId: spec.messageId, correlationId: spec.correlationId };
}

async function send(connectionString, hub, partitionId, partitionKey, eventsJson) {
  const producer = new EventHubProducerClient(connectionString, hub);
  const options = {};
  if (partitionId !== "-") options.partitionId = partitionId;
  if (partitionKey !== "-") options.partitionKey = partitionKey;
  await producer.sendBatch(JSON.parse(eventsJson).map(toEvent), options);
  await producer.close();
  return { sent: JSON.parse(eventsJson).length };
}

async function receive(connectionString, hub, consumerGroup, partitionId, count) {
  const client = new EventHubConsumerClient(consumerGroup, connectionString, hub);
  const received = [];
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`received ${received.length} of ${count}`)), 30000);
    const subscription = client.subscribe(partitionId, {
      processEvents: async (events) => {
        for (const e of events) {
          received.push({
            body: Buffer.from(e.body).toString("base64"),
            properties: Object.fromEntries(Object.entries(e.properties ?? {}).map(([k, v]) => [k, describe(v)])),
            contentType: e.contentType ?? null,
            messageId: e.messageId === undefined ? null : String(e.messageId),
            correlationId: e.correlationId === undefined ? null : String(e.correlationId),
            sequenceNumber: e.sequenceNumber,
            offset: String(e.offset),
            enqueuedTimeUtc: e.enqueuedTimeUtc.toISOString(),
            partitionKey: e.partitionKey ?? null,
          });
        }
        if (received.length >= Number(count)) {
          clearTimeout(timer);
          await subscription.close();
          resolve();
        }
      },
      processError: async (error) => { clearTimeout(timer); reject(error); },
    }, { startPosition: earliestEventPosition, skipParsingBodyAsJson: true, maxBatchSize: 100, maxWaitTimeInSeconds: 1 });
  });
  await client.close();
  return received;
}

async function processWithCheckpoints(connectionString, hub, consumerGroup, storageConnectionString, containerName, count) {
  const { ContainerClient } = require("@azure/storage-blob");
  const { BlobCheckpointStore } = require("@azure/eventhubs-checkpointstore-blob");
  const store = new BlobCheckpointStore(new ContainerClient(storageConnectionString, containerName));
  const client = new EventHubConsumerClient(consumerGroup, connectionString, hub, store, {
    loadBalancingOptions: { strategy: "greedy", updateIntervalInMs: 500, partitionOwnershipExpirationIntervalInMs: 5000 },
  });
  const bodies = [];
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`processed ${bodies.length} of ${count}`)), 30000);
    const subscription = client.subscribe({
      processEvents: async (events, context) => {
        if (events.length === 0) return;
        for (const e of events) bodies.push(Buffer.from(e.body).toString("utf8"));
        await context.updateCheckpoint(events[events.length - 1]);
        if (bodies.length >= Number(count)) {
          clearTimeout(timer);
          await subscription.close();
          resolve();
        }
      },
      processError: async () => { /* transient errors while partitions move are expected */ },
    }, { startPosition: earliestEventPosition, skipParsingBodyAsJson: true, maxBatchSize: 100, maxWaitTimeInSeconds: 1 });
  });
  await client.close();
  return bodies;
}

const [command, ...args] = process.argv.slice(2);
const run = command === "send" ? send(...args)
  : command === "receive" ? receive(...args)
  : command === "process" ? processWithCheckpoints(...args)
  : Promise.reject(new Error(`unknown command ${command}`));
run.then((result) => process.stdout.write(JSON.stringify(result), () => process.exit(0)), (error) => { console.error(error); process.exit(1); });
