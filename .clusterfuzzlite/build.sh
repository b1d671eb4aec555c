#!/bin/bash
# ClusterFuzzLite entry point ($SRC/build.sh in the builder image, see the
# Dockerfile); the build itself is fuzz/build.sh, the same for OSS-Fuzz.
set -euo pipefail
exec bash "$SRC/hvexit/fuzz/build.sh"
