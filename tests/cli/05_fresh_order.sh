# The fresh-machine order of the README's commands, in seconds (the full
# proof on a pristine Debian 12 root is ci/fresh-debian, run nightly):
#   1 `make demo` and `make check` call pkg-config only after
#     ci/install-deps.sh has run (here a stand-in that marks "installed"),
#     and do call it then (the build needs the flags);
#   2 without the packages, a build stops with one clear line naming the
#     command that installs them, instead of a link error.
# make -n runs only the recipe lines that start a sub-make, and the
# install command shares its line with that sub-make, so the order seen
# here is the order of a real run. The tree is linked into a temp dir so
# that nothing is built and build/check.log of the running suite is kept.
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
real_pc=$(command -v pkg-config) || { echo "pkg-config missing"; exit 1; }
for d in Makefile VERSION mk ci decoder emu harness include tests fuzz examples guests; do
	ln -s "$(pwd)/$d" "$T/$d"
done
mkdir -p "$T/build" "$T/bin"
cat >"$T/bin/pkg-config" <<EOF
#!/bin/sh
if [ -e "$T/installed" ]; then echo "after: \$*" >>"$T/pc.log"; exec "$real_pc" "\$@"; fi
echo "before: \$*" >>"$T/pc.log"
exit 1
EOF
cat >"$T/bin/install-deps" <<EOF
#!/bin/sh
touch "$T/installed"
echo "stand-in install-deps ran"
EOF
chmod +x "$T/bin/pkg-config" "$T/bin/install-deps"
fail=0
for goal in demo check; do
	rm -f "$T/installed" "$T/pc.log"
	env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$T" -n PKG_CONFIG="$T/bin/pkg-config" INSTALL_DEPS="$T/bin/install-deps" \
		"$goal" >"$T/$goal.out" 2>&1
	rc=$?
	[ $rc -eq 0 ] || { echo "make -n $goal: exit $rc"; tail -5 "$T/$goal.out"; fail=1; }
	grep -q "stand-in install-deps ran" "$T/$goal.out" ||
		{ echo "make $goal: install-deps not run"; fail=1; }
	if grep -q '^before:' "$T/pc.log" 2>/dev/null; then
		echo "make $goal: pkg-config read before install-deps:"; grep '^before:' "$T/pc.log"; fail=1
	fi
	grep -q '^after: .*--cflags' "$T/pc.log" 2>/dev/null ||
		{ echo "make $goal: no pkg-config --cflags after install-deps (nothing to build?)"; fail=1; }
	# the flags reach the compiler (capstone's include dir comes from pkg-config)
	grep -q -- "$("$real_pc" --cflags capstone | awk '{print $1}')" "$T/$goal.out" ||
		{ echo "make $goal: compile lines lack the package cflags"; fail=1; }
done

# no packages at all: one clear error, exit 2, no compiler run
printf '#!/bin/sh\nexit 1\n' >"$T/bin/pkg-config"
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -C "$T" PKG_CONFIG="$T/bin/pkg-config" build/rel/hvexit >"$T/none.out" 2>&1
rc=$?
[ $rc -eq 2 ] || { echo "build without packages: exit $rc, want 2"; fail=1; }
grep -q "run 'make deps'" "$T/none.out" || { echo "build without packages: no hint"; tail -5 "$T/none.out"; fail=1; }
! grep -q -- '-c decoder/' "$T/none.out" || { echo "build without packages: compiled anyway"; fail=1; }
[ ! -d "$T/build/rel" ] || [ -z "$(find "$T/build/rel" -name '*.o')" ] ||
	{ echo "build without packages: objects written"; fail=1; }
exit $fail
