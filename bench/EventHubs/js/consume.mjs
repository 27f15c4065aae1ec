// The official JS consumer reading every partition from the start until it has read <count> events.
// Usage: node consume.mjs <connectionString> <hub> <count> ; prints {"events":n,"seconds":s}
import { EventHubConsumerClient, earliestEventPosition } from "@azure/event-hubs";

const [connectionString, hub, count] = process.argv.slice(2);
const consumer = new EventHubConsumerClient("$Default", connectionString, hub);
let events = 0;
const started = Date.now();
await new Promise((resolve) => {
  const subscription = consumer.subscribe({
    processEvents: async (received) => {
      events += received.length;
      if (events >= Number(count)) resolve(subscription);
    },
    processError: async () => {},
  }, { startPosition: earliestEventPosition, maxBatchSize: 1000, maxWaitTimeInSeconds: 1 });
  setTimeout(resolve, 300000);
});
const elapsed = (Date.now() - started) / 1000;
await consumer.close();
console.log(JSON.stringify({ events, seconds: elapsed }));
