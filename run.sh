#!/usr/bin/env bash
# Runs the local SafetySurveillance stack: installs what it needs (scripts/bootstrap.sh), builds the solution,
# starts Azurite (tables, blobs, queues) and the Event Hubs emulator, prints their endpoints, and on Ctrl+C
# stops them cleanly (Azurite with SIGINT, which flushes its data; SIGKILL would lose the last 5 s of writes).
# Data lives in ./.data so a restart keeps it.
set -euo pipefail
cd "$(dirname "$0")"

scripts/bootstrap.sh
dotnet build SafetySurveillance.sln --nologo -v quiet

mkdir -p .data/azurite .data/eventhubs
pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping…"
  for pid in "${pids[@]}"; do kill -INT "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  echo "Stopped."
}
trap stop INT TERM EXIT

node node_modules/azurite/dist/src/azurite.js --location .data/azurite --disableTelemetry --skipApiVersionCheck \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 >.data/azurite.log 2>&1 &
pids+=($!)

emulator=artifacts/bin/SafetySurveillance.EventHubs.Emulator/debug/SafetySurveillance.EventHubs.Emulator.dll
dotnet "$emulator" --data .data/eventhubs >.data/eventhubs.log 2>&1 &
pids+=($!)

cat <<INFO
SafetySurveillance local stack
  Storage (Azurite):   UseDevelopmentStorage=true  (blob :10000, queue :10001, table :10002; log .data/azurite.log)
  Event Hubs emulator: Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true
                       (AMQP :5672; log .data/eventhubs.log)
Press Ctrl+C to stop.
INFO
wait -n "${pids[@]}" || true
echo "A service exited; see the logs in .data/." >&2
