#!/usr/bin/env bash
# Builds the controller-runtime v0.25.2 Widget twin (this module) into ~/.cache/kubeforge/bench/
# (or $KUBEFORGE_BENCH_DIR). Go module proxy only; never run by `npm test`. bench/run.js calls it
# when the binary is missing or older than its sources.
set -euo pipefail
cd "$(dirname "$0")"
DEST="${KUBEFORGE_BENCH_DIR:-$HOME/.cache/kubeforge/bench}"
mkdir -p "$DEST"
GOFLAGS=-mod=mod go mod tidy
CGO_ENABLED=0 go build -trimpath -o "$DEST/widget-operator-go.partial" .
mv "$DEST/widget-operator-go.partial" "$DEST/widget-operator-go"
echo "$DEST/widget-operator-go"
