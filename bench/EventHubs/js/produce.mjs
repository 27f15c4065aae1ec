// The official JS producer sending 1 KB events in full batches, one sender per partition, for a fixed time.
// Usage: node produce.mjs <connectionString> <hub> <seconds> ; prints {"events":n,"seconds":s}
import { EventHubProducerClient } from "@azure/event-hubs";

const [connectionString, hub, seconds] = process.argv.slice(2);
const body = "x".repeat(1024);
const producer = new EventHubProducerClient(connectionString, hub);
const ids = await producer.getPartitionIds();
const deadline = Date.now() + Number(seconds) * 1000;
const started = Date.now();
let events = 0;
await Promise.all(ids.map(async (partitionId) => {
  while (Date.now() < deadline) {
    const batch = await producer.createBatch({ partitionId });
    while (batch.tryAdd({ body })) { /* fill to the link's max message size */ }
    await producer.sendBatch(batch);
    events += batch.count;
  }
}));
const elapsed = (Date.now() - started) / 1000;
await producer.close();
console.log(JSON.stringify({ events, seconds: elapsed }));
