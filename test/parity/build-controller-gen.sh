#!/usr/bin/env bash
# Builds controller-gen v0.23.0 from sigs.k8s.io/controller-tools (Go module proxy) into
# ~/.cache/kubeforge/controller-gen/, where test/parity/parity.test.ts and the manifests benchmark
# look for it. Never run by `npm test`; run it once by hand (or in CI) to enable the parity test.
set -euo pipefail
VERSION="${CONTROLLER_GEN_VERSION:-v0.23.0}"
DEST="${KUBEFORGE_CONTROLLER_GEN_DIR:-$HOME/.cache/kubeforge/controller-gen}"
mkdir -p "$DEST"
GOBIN="$DEST" GOFLAGS=-mod=mod go install "sigs.k8s.io/controller-tools/cmd/controller-gen@${VERSION}"
"$DEST/controller-gen" --version
