#!/bin/bash -eu
# ClusterFuzzLite entry point: the real script is fuzz/build.sh.
exec bash "$SRC/hvexit/fuzz/build.sh"
