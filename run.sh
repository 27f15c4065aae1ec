#!/usr/bin/env bash
# The main job: the whole local SafetySurveillance stack with a demo feed of trusts.
# - installs what it needs (scripts/bootstrap.sh) and builds the solution;
# - starts DevHost, which starts Azurite (ports 10000-10002), hosts the Event Hubs emulator (AMQP 5672), runs the
#   function app as an Azure Functions custom handler and drives its triggers (HTTP on 7071);
# - starts the simulator: 20 trusts sending procedure, outcome and adverse-event events through their publisher
#   endpoints at a steady rate (one trust with an injected excess of serious device-related events).
# Ctrl+C stops everything cleanly (Azurite with SIGINT, so no write is lost). Data stays in ./.data for the next run.
set -euo pipefail
cd "$(dirname "$0")"

scripts/bootstrap.sh
dotnet build SafetySurveillance.sln --nologo -v quiet

bin=artifacts/bin
mkdir -p .data
rm -f .data/devhost.json
# Per-invocation log lines are kept out of the terminal so the status line stays readable.
dotnet "$bin/SafetySurveillance.DevHost/debug/SafetySurveillance.DevHost.dll" \
  --DevHost:AppPath "$bin/SafetySurveillance.Functions/debug" --DevHost:DataDirectory .data \
  --Logging:LogLevel:SafetySurveillance.DevHost.FunctionApp.FunctionInvoker=Warning &
devhost=$!
simulator=
stop() {
  trap - INT TERM
  # Background jobs of a script ignore SIGINT, so they are stopped with SIGTERM; DevHost then shuts down in order
  # (triggers, function app, emulator) and stops Azurite with SIGINT itself, which flushes Azurite's data.
  [ -n "$simulator" ] && kill -TERM "$simulator" 2>/dev/null || true
  kill -TERM "$devhost" 2>/dev/null || true
  wait "$devhost" 2>/dev/null || true
  echo "Stopped."
}
trap stop INT TERM

for _ in $(seq 1 120); do
  [ -f .data/devhost.json ] && break
  kill -0 "$devhost" 2>/dev/null || { echo "DevHost exited; see above." >&2; exit 1; }
  sleep 1
done
[ -f .data/devhost.json ] || { echo "DevHost did not become ready." >&2; stop; exit 1; }
connection=$(node -e 'console.log(require("./.data/devhost.json").EventHubs)')
storage=$(node -e 'console.log(require("./.data/devhost.json").Storage)')
# The public summary is per ended calendar quarter: the last one.
month=$(date -u +%-m); year=$(date -u +%Y); quarter=$(( (month - 1) / 3 ))
if [ "$quarter" -eq 0 ]; then quarter=4; year=$((year - 1)); fi
maildev=$(node -e 'console.log(require("./.data/devhost.json").Maildev || "not running")')

cat <<INFO

SafetySurveillance is running.
  Dashboard, signed in as a national reviewer:   http://127.0.0.1:7071/dev-issuer/sign-in?as=reviewer
  ... as the governance lead of RHQ (injected):  http://127.0.0.1:7071/dev-issuer/sign-in?as=governance-lead&trust=RHQ
  ... as the governance lead of RTH:             http://127.0.0.1:7071/dev-issuer/sign-in?as=governance-lead&trust=RTH
  Alert e-mail (maildev):  $maildev
  Public summary:          http://127.0.0.1:7071/api/public/summary?procedure=A48.4&period=${year}-Q${quarter}
  Health:                  http://127.0.0.1:7071/api/health
  Storage:                 UseDevelopmentStorage=true (Azurite, data in .data/azurite)
  Event Hubs:              $connection
Demo feed: 20 simulated trusts, registered with a governance address each. Press Ctrl+C to stop.

INFO

dotnet "$bin/SafetySurveillance.Simulator/debug/SafetySurveillance.Simulator.dll" \
  --register-trusts "$storage" --connection "$connection" --hub safety-events --trusts 20 --events 50000 --rate 200 &
simulator=$!
wait "$devhost"
