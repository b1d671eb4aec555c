# What the native Makefile and the cross build (ci/aarch64.mk) share: the
# C dialect, the warnings, and build/version.h (HVEXIT_VERSION), which
# ci/version.sh rewrites only when the version changes, so only what
# includes it is rebuilt then. Include it before .DEFAULT_GOAL is set.
WARN    := -Wall -Wextra -Wformat=2 -Wmissing-prototypes -Wshadow -Werror
STD     := -std=c11 -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L

build/version.h: FORCE
	@sh ci/version.sh --header $@
.PHONY: FORCE
FORCE:
