# Sourced by the validate CLI tests: sets -u, $T (a temporary folder
# removed on exit), fail=0, and
#   build_plugin NAME SOURCE [CFLAGS...]
# which builds examples/plugins/SOURCE.c with CFLAGS (the -D flags of a
# planted bug) into $T/NAME.so, or exits 1.
set -u
CC=${CC:-cc}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
build_plugin() {
	n=$1; src=$2; shift 2
	$CC -std=c11 -Wall -Wextra -Werror -O1 -fPIC -shared -Iinclude "$@" \
	    -o "$T/$n.so" "examples/plugins/$src.c" || { echo "build $n failed"; exit 1; }
}
