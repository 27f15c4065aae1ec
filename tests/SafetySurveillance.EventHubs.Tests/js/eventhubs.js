// Drives the official @azure/event-hubs against the emulator and prints JSON.
//   node eventhubs.js send <connection string> <hub> <partitionId|-> <partitionKey|-> <events json>
//   node eventhubs.js receive <connection string> <hub> <consumer group> <partitionId> <count>
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

const [command, ...args] = process.argv.slice(2);
const run = command === "send" ? send(...args) : command === "receive" ? receive(...args) : Promise.reject(new Error(`unknown command ${command}`));
run.then((result) => process.stdout.write(JSON.stringify(result), () => process.exit(0)), (error) => { console.error(error); process.exit(1); });
