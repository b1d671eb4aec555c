# make install into a temp PREFIX (and a DESTDIR staging), then the
# installed tool used from another directory as a plugin author would:
#   - bin/hvexit --version / -V print the build's version, the same as
#     ci/version.sh and the installed hvexit.pc
#   - the data under share/hvexit/ is the tree's corpus/vectors, corpus/s2
#     and corpus/baselines (kvm.json among them)
#   - a plugin built with only `pkg-config --cflags hvexit` (no -I into the
#     source tree) validates, its vectors found beside the installed binary
#     (share/hvexit), not in the working directory; a missing vector file
#     there, or an explicit --vectors DIR without them, is exit 2
#   - the build-tree binary, run from elsewhere, finds the source tree's data
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
top=$(pwd)
# a make of its own, not the job server of the make check running this test
mk() { env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory "$@"; }

mk -s install PREFIX="$T/p" >"$T/install.log" 2>&1 || { echo "make install failed"; cat "$T/install.log"; exit 1; }
P=$T/p
want="hvexit $(sh ci/version.sh)"
for f in bin/hvexit include/hvexit/plugin.h lib/pkgconfig/hvexit.pc \
	share/hvexit/corpus/baselines/kvm.json; do
	[ -f "$P/$f" ] || { echo "not installed: $f"; fail=1; }
done
[ -x "$P/bin/hvexit" ] || { echo "bin/hvexit not executable"; fail=1; }
for d in corpus/vectors corpus/s2 corpus/baselines; do
	diff -r "$d" "$P/share/hvexit/$d" >/dev/null || { echo "share/hvexit/$d differs from $d"; fail=1; }
done

mkdir -p "$T/elsewhere" && cd "$T/elsewhere" || exit 1
for opt in --version -V; do
	got=$("$P/bin/hvexit" $opt) || { echo "hvexit $opt: exit $?"; fail=1; }
	[ "$got" = "$want" ] || { echo "hvexit $opt: '$got', want '$want'"; fail=1; }
done
pcv=$(PKG_CONFIG_PATH=$P/lib/pkgconfig pkg-config --modversion hvexit)
[ "hvexit $pcv" = "$want" ] || { echo "hvexit.pc Version '$pcv', want '${want#hvexit }'"; fail=1; }
cflags=$(PKG_CONFIG_PATH=$P/lib/pkgconfig pkg-config --cflags hvexit | sed "s/ *$//")
[ "$cflags" = "-I$P/include" ] || { echo "hvexit.pc cflags '$cflags'"; fail=1; }

# a plugin built against the installed header only
# shellcheck disable=SC2086
cc -std=c11 -Wall -Wextra -Werror -O1 -fPIC -shared $cflags -o "$T/teach.so" \
	"$top/examples/plugins/teach.c" || { echo "plugin does not build with the installed header"; exit 1; }
ndabt=$(grep -v '^#' "$top/corpus/vectors/plugin_dabt.tsv" | grep -c .)
nload=$(grep -v '^#' "$top/corpus/vectors/plugin_load.tsv" | grep -c .)
"$P/bin/hvexit" validate --plugin "$T/teach.so" --cases 50 >"$T/val.out" 2>&1
rc=$?
[ $rc -eq 0 ] || { echo "installed validate: exit $rc"; tail -5 "$T/val.out"; fail=1; }
# conformance vectors plus those outside a guest's data abort (robustness class)
dv=$(sed -n 's/^decode_dabt: .*(\([0-9]*\) vectors,.*; \([0-9]*\) vectors outside.*/\1+\2/p' "$T/val.out")
[ -n "$dv" ] && [ $((${dv%+*} + ${dv#*+})) -eq "$ndabt" ] || { echo "decode_dabt did not read the $ndabt installed vectors"; grep '^decode_dabt' "$T/val.out"; fail=1; }
grep -q "^mmio_load: .*($nload vectors," "$T/val.out" || { echo "mmio_load did not run the $nload installed vectors"; fail=1; }

# the vectors come from share/hvexit: take one away and it is an error
mv "$P/share/hvexit/corpus/vectors/plugin_load.tsv" "$T/"
"$P/bin/hvexit" validate --plugin "$T/teach.so" --cases 5 >"$T/miss.out" 2>&1
rc=$?
[ $rc -eq 2 ] || { echo "missing installed plugin_load.tsv: exit $rc, want 2"; fail=1; }
grep -q "share/hvexit/corpus/vectors/plugin_load.tsv" "$T/miss.out" || { echo "error does not name the missing file"; cat "$T/miss.out"; fail=1; }
# ...unless that entry point is not selected, or --no-vectors
"$P/bin/hvexit" validate --plugin "$T/teach.so" --cases 5 --only decode_dabt >/dev/null 2>&1 ||
	{ echo "--only decode_dabt needs plugin_load.tsv"; fail=1; }
"$P/bin/hvexit" validate --plugin "$T/teach.so" --cases 5 --no-vectors >"$T/nov.out" 2>&1 ||
	{ echo "--no-vectors: exit $?"; fail=1; }
grep -q "^mmio_load: .*(0 vectors, 0 systematic, 5 random).*--no-vectors" "$T/nov.out" || { echo "--no-vectors not reported"; fail=1; }
mv "$T/plugin_load.tsv" "$P/share/hvexit/corpus/vectors/"
# an explicit --vectors DIR without the files: exit 2, not a silent skip
mkdir -p "$T/empty"
"$P/bin/hvexit" validate --plugin "$T/teach.so" --cases 5 --vectors "$T/empty" >"$T/empty.out" 2>&1
rc=$?
[ $rc -eq 2 ] || { echo "--vectors EMPTY: exit $rc, want 2"; fail=1; }
[ "$(grep -c . "$T/empty.out")" -eq 1 ] || { echo "--vectors EMPTY: not one line"; cat "$T/empty.out"; fail=1; }

# the build tree's binary from elsewhere uses the source tree's vectors
"$HVEXIT_REL" validate --plugin "$T/teach.so" --cases 5 --only mmio_load >"$T/rel.out" 2>&1 ||
	{ echo "build/rel/hvexit from another dir: exit $?"; tail -3 "$T/rel.out"; fail=1; }
grep -q "^mmio_load: .*($nload vectors," "$T/rel.out" || { echo "build/rel/hvexit did not find the tree's vectors"; fail=1; }

# DESTDIR staging: files under DESTDIR/PREFIX, the .pc names PREFIX alone
cd "$top" || exit 1
mk -s install DESTDIR="$T/stage" PREFIX=/opt/hvexit >"$T/stage.log" 2>&1 || { echo "make install DESTDIR failed"; cat "$T/stage.log"; exit 1; }
[ -x "$T/stage/opt/hvexit/bin/hvexit" ] || { echo "DESTDIR: no bin/hvexit"; fail=1; }
grep -qx 'prefix=/opt/hvexit' "$T/stage/opt/hvexit/lib/pkgconfig/hvexit.pc" || { echo "DESTDIR: .pc prefix wrong"; fail=1; }
exit $fail
