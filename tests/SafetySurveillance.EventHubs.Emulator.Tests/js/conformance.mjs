// Runs the official @azure/event-hubs SDK (pinned in the repository's package-lock.json) against an emulator
// and prints one JSON line with what it saw. Usage: node conformance.mjs <scenario> <json arguments>
import { EventHubConsumerClient, EventHubProducerClient, earliestEventPosition, latestEventPosition } from "@azure/event-hubs";

const [scenario, rawArgs] = process.argv.slice(2);
const args = JSON.parse(rawArgs ?? "{}");
const connectionString = args.connectionString;
const hub = args.hub;

function describeError(error) {
  return { name: error?.name, code: error?.code, message: String(error?.message ?? error), retryable: error?.retryable };
}

function describeEvent(event) {
  return {
    body: typeof event.body === "string" ? event.body : Buffer.isBuffer(event.body) ? event.body.toString("utf8") : JSON.stringify(event.body),
    bodyIsBinary: Buffer.isBuffer(event.body),
    sequenceNumber: event.sequenceNumber,
    offset: String(event.offset),
    enqueuedTimeUtc: event.enqueuedTimeUtc?.toISOString(),
    partitionKey: event.partitionKey ?? null,
    properties: event.properties ?? {},
    systemProperties: event.systemProperties ?? {},
    lastEnqueuedEventProperties: undefined,
  };
}

function startPosition(spec) {
  switch (spec.kind) {
    case "earliest": return earliestEventPosition;
    case "latest": return latestEventPosition;
    case "sequence": return { sequenceNumber: spec.value, isInclusive: spec.inclusive ?? false };
    case "offset": return { offset: spec.value, isInclusive: spec.inclusive ?? false };
    case "enqueuedOn": return { enqueuedOn: new Date(spec.value) };
    default: throw new Error(`unknown start ${spec.kind}`);
  }
}

async function receive({ partitionId, start, count, timeoutMs, consumerGroup, sendAfterSubscribe, trackLastEnqueuedEventProperties, untilBodies }) {
  const consumer = new EventHubConsumerClient(consumerGroup ?? "$Default", connectionString, hub);
  const events = [];
  let lastEnqueued;
  let error;
  try {
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs ?? 20000);
      const subscription = consumer.subscribe(partitionId, {
        processEvents: async (received, context) => {
          for (const e of received) events.push(describeEvent(e));
          if (context.lastEnqueuedEventProperties?.sequenceNumber !== undefined) lastEnqueued = context.lastEnqueuedEventProperties;
          const done = untilBodies
            ? untilBodies.every((b) => events.some((e) => e.body === b))
            : events.length >= count;
          if (done) { clearTimeout(timer); resolve(); }
        },
        processError: async (err) => { error = describeError(err); clearTimeout(timer); resolve(); },
      }, { startPosition: startPosition(start), maxBatchSize: 100, maxWaitTimeInSeconds: 1, trackLastEnqueuedEventProperties: !!trackLastEnqueuedEventProperties });
      if (sendAfterSubscribe) {
        // Keeps sending until the receiver has seen enough: when its link attached is not observable from here.
        let n = 0;
        const producer = new EventHubProducerClient(connectionString, hub);
        const tick = async () => {
          if (events.length >= count) { await producer.close(); return; }
          await producer.sendBatch([{ body: `${sendAfterSubscribe}-${n++}` }], { partitionId });
          setTimeout(tick, 300);
        };
        setTimeout(tick, 300);
      }
      consumer.__subscription = subscription;
    });
    await consumer.__subscription?.close();
  } finally {
    await consumer.close();
  }
  return { events, error, lastEnqueued: lastEnqueued ? { sequenceNumber: lastEnqueued.sequenceNumber, offset: String(lastEnqueued.offset) } : null };
}

const scenarios = {
  async properties() {
    const producer = new EventHubProducerClient(connectionString, hub);
    try {
      const props = await producer.getEventHubProperties();
      const ids = await producer.getPartitionIds();
      const partitions = [];
      for (const id of ids) {
        const p = await producer.getPartitionProperties(id);
        partitions.push({ ...p, lastEnqueuedOnUtc: p.lastEnqueuedOnUtc?.toISOString() });
      }
      return { name: props.name, partitionIds: props.partitionIds, createdOn: props.createdOn?.toISOString(), ids, partitions };
    } finally {
      await producer.close();
    }
  },

  async send() {
    // args.batches: [{ partitionKey?, partitionId?, bodies: [..], properties? }]
    const producer = new EventHubProducerClient(connectionString, hub);
    const results = [];
    try {
      for (const spec of args.batches) {
        const options = {};
        if (spec.partitionKey !== undefined) options.partitionKey = spec.partitionKey;
        if (spec.partitionId !== undefined) options.partitionId = spec.partitionId;
        const batch = await producer.createBatch(options);
        for (const body of spec.bodies) {
          if (!batch.tryAdd({ body, properties: spec.properties ?? {} })) throw new Error("batch full");
        }
        await producer.sendBatch(batch);
        results.push({ count: batch.count, maxSizeInBytes: batch.maxSizeInBytes });
      }
      return { results };
    } finally {
      await producer.close();
    }
  },

  async sendArray() {
    const producer = new EventHubProducerClient(connectionString, hub, args.maxRetries === undefined ? {} : { retryOptions: { maxRetries: args.maxRetries, retryDelayInMs: 100 } });
    try {
      const options = args.partitionId !== undefined ? { partitionId: args.partitionId } : {};
      await producer.sendBatch(args.bodies.map((body) => ({ body })), options);
      return { sent: args.bodies.length };
    } catch (error) {
      return { error: describeError(error) };
    } finally {
      await producer.close();
    }
  },

  async oversize() {
    const producer = new EventHubProducerClient(connectionString, hub, { retryOptions: { maxRetries: 0 } });
    try {
      const big = "x".repeat(args.size ?? 1100 * 1024);
      await producer.sendBatch([{ body: big }], { partitionId: "0" });
      return { sent: true };
    } catch (error) {
      return { error: describeError(error) };
    } finally {
      await producer.close();
    }
  },

  async missingHub() {
    const producer = new EventHubProducerClient(connectionString, hub, { retryOptions: { maxRetries: 1, retryDelayInMs: 100 } });
    const result = {};
    try {
      await producer.getEventHubProperties();
      result.properties = "unexpected success";
    } catch (error) {
      result.properties = describeError(error);
    }
    try {
      await producer.sendBatch([{ body: "x" }]);
      result.send = "unexpected success";
    } catch (error) {
      result.send = describeError(error);
    } finally {
      await producer.close();
    }
    return result;
  },

  async receive() {
    return receive(args);
  },

  async connections() {
    // Opens and closes many connections one after another; each must finish its handshake promptly.
    const hung = [];
    for (let i = 0; i < args.count; i++) {
      const producer = new EventHubProducerClient(connectionString, hub);
      const ids = await Promise.race([producer.getPartitionIds(), new Promise((resolve) => setTimeout(() => resolve(null), args.perConnectionTimeoutMs ?? 5000))]);
      if (ids === null) hung.push(i);
      await producer.close();
    }
    return { opened: args.count, hung };
  },
};

const started = Date.now();
try {
  const result = await scenarios[scenario]();
  console.log(JSON.stringify({ ok: true, ms: Date.now() - started, result }));
  process.exit(0);
} catch (error) {
  console.log(JSON.stringify({ ok: false, ms: Date.now() - started, error: describeError(error), stack: error?.stack }));
  process.exit(1);
}
