#!/usr/bin/env bash
# Regenerates fixtures/golden/ by running the golden test's commands with UPDATE_GOLDEN=1.
# Review the diff (git diff fixtures/golden) before committing it.
set -euo pipefail
cd "$(dirname "$0")/../.."
UPDATE_GOLDEN=1 npx vitest run --project integration test/cli/golden.test.ts
