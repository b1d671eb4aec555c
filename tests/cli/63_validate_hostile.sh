# hvexit validate against hostile plugins: processes a plugin forks end
# with its child (also after a crash, which stays a crash, not a hang);
# "ERROR:" log lines of a correct plugin and a sanitizer banner on stdout
# are no sanitizer finding, a real one is; a plugin that leaks memory hits
# the memory limit. Each plugin is the teaching example with
# hvx_plugin_decode_dabt wrapped by a hostile variant.
set -u
CC=${CC:-cc}
T=$(mktemp -d)
trap 'for f in "$T"/*.pid; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; done; rm -rf "$T"' EXIT
fail=0

wrap() {	# name teach-flags -- wrapper body (C statements before the real call)
	n=$1; flags=$2; body=$3; extra=${4:-}
	$CC -std=c11 -D_DEFAULT_SOURCE -O1 -fPIC -Iinclude $flags \
	    -Dhvx_plugin_decode_dabt=teach_decode_dabt -c examples/plugins/teach.c -o "$T/$n.t.o" &&
	cat >"$T/$n.c" <<C &&
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hvexit/plugin.h"
int teach_decode_dabt(uint64_t esr, struct hvx_dabt *out);
static void spawn_sleeper(void)
{
	pid_t p = fork();
	if (p == 0) {
		FILE *f = fopen("$T/$n.pid", "w");
		if (f) { fprintf(f, "%d\n", (int)getpid()); fclose(f); }
		for (int i = 0; i < 300; i++) sleep(1);
		_exit(0);
	}
}
$extra
int hvx_plugin_decode_dabt(uint64_t esr, struct hvx_dabt *out)
{
	$body
	return teach_decode_dabt(esr, out);
}
C
	$CC -std=c11 -D_DEFAULT_SOURCE -O1 -fPIC -Iinclude $flags -c "$T/$n.c" -o "$T/$n.w.o" &&
	$CC -shared $flags -o "$T/$n.so" "$T/$n.t.o" "$T/$n.w.o" ||
	{ echo "build $n failed"; exit 1; }
}
run() {		# name [more options] -> $T/name.out, rc
	n=$1; shift
	"$HVEXIT" validate --plugin "$T/$n.so" --only decode_dabt --cases 200 \
	    --timeout-ms 1000 "$@" >"$T/$n.out" 2>"$T/$n.err"
	rc=$?
}
gone() {	# name: the process the plugin forked no longer runs
	[ -f "$T/$1.pid" ] || { echo "$1: the plugin never forked"; fail=1; return; }
	p=$(cat "$T/$1.pid")
	# SIGKILL is asynchronous and a zombie waits for init: allow a moment.
	for i in 1 2 3 4 5 6 7 8 9 10; do
		st=$(ps -o stat= -p "$p" 2>/dev/null)
		case "$st" in ""|Z*) return ;; esac
		sleep 0.2
	done
	echo "$1: process $p ($st) forked by the plugin outlived validate"; fail=1
}

# A constructor that forks: its process ends with validate; results PASS.
wrap forkctor "" "" "__attribute__((constructor)) static void c(void) { spawn_sleeper(); }"
run forkctor
[ $rc -eq 0 ] || { echo "forkctor: exit $rc, want 0"; cat "$T/forkctor.out" "$T/forkctor.err"; fail=1; }
gone forkctor

# A fork then a crash: reported as a crash (signal), not as a hang.
wrap forkcrash "-DBUG_CRASH" "" "__attribute__((constructor)) static void c(void) { spawn_sleeper(); }"
run forkcrash
[ $rc -eq 1 ] && grep -A3 "FINDING decode_dabt.process" "$T/forkcrash.out" | grep -q "Segmentation" ||
	{ echo "forkcrash: exit $rc, want a Segmentation fault finding"; cat "$T/forkcrash.out"; fail=1; }
grep -q "no answer" "$T/forkcrash.out" && { echo "forkcrash: reported as a hang"; fail=1; }
gone forkcrash

# Log lines that merely look like errors: no finding.
wrap errlog "" 'fprintf(stderr, "ERROR: something odd at %llx\n", (unsigned long long)esr);
	printf("==1==ERROR: AddressSanitizer: not really (stdout)\n"); fflush(stdout);
	fprintf(stderr, "note: runtime error: none\n");'
run errlog
[ $rc -eq 0 ] || { echo "errlog: exit $rc, want 0 (log lines are no sanitizer report)"; cat "$T/errlog.out"; fail=1; }

# A real AddressSanitizer report (heap-buffer-overflow) is one.
wrap asan "-fsanitize=address" 'char *volatile p = malloc(8); volatile char c = p[(esr & 1) ? 8 : 0]; (void)c; free(p);'
run asan
[ $rc -eq 1 ] && grep -A3 "FINDING decode_dabt.process" "$T/asan.out" | grep -q "AddressSanitizer: heap-buffer-overflow" ||
	{ echo "asan: exit $rc, want an AddressSanitizer finding"; cat "$T/asan.out"; fail=1; }

# 64 MiB leaked and touched per call: the child is ended at the memory
# limit (1 GiB of growth), a finding, long before 200 cases.
wrap leak "" 'char *volatile p = malloc(64u << 20); if (p) memset(p, 1, 64u << 20);'
run leak
[ $rc -eq 1 ] && grep -A3 "FINDING decode_dabt.process" "$T/leak.out" | grep -Eq "memory limit|out of memory" ||
	{ echo "leak: exit $rc, want a memory limit finding"; cat "$T/leak.out"; fail=1; }
exit $fail
