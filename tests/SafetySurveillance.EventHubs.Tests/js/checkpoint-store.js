// Drives the official @azure/eventhubs-checkpointstore-blob against a container, printing JSON results.
// node checkpoint-store.js <storage connection string> <container> <command> <fqns> <hub> <consumer group> [args]
//   write-checkpoint <partition> <offset> <sequence number>
//   list-checkpoints
//   claim <partition> <owner id>
//   list-ownership
const { ContainerClient } = require("@azure/storage-blob");
const { BlobCheckpointStore } = require("@azure/eventhubs-checkpointstore-blob");

async function main() {
  const [connectionString, containerName, command, fqns, hub, cg, ...rest] = process.argv.slice(2);
  const store = new BlobCheckpointStore(new ContainerClient(connectionString, containerName));
  switch (command) {
    case "write-checkpoint": {
      const [partitionId, offset, sequenceNumber] = rest;
      await store.updateCheckpoint({ fullyQualifiedNamespace: fqns, eventHubName: hub, consumerGroup: cg, partitionId, offset, sequenceNumber: Number(sequenceNumber) });
      return {};
    }
    case "list-checkpoints":
      return store.listCheckpoints(fqns, hub, cg);
    case "claim": {
      const [partitionId, ownerId] = rest;
      return store.claimOwnership([{ fullyQualifiedNamespace: fqns, eventHubName: hub, consumerGroup: cg, partitionId, ownerId }]);
    }
    case "list-ownership":
      return store.listOwnership(fqns, hub, cg);
    default:
      throw new Error(`unknown command ${command}`);
  }
}

// Exit explicitly: keep-alive sockets would otherwise hold the process open for seconds.
main().then((result) => process.stdout.write(JSON.stringify(result), () => process.exit(0)), (error) => { console.error(error); process.exit(1); });
