/* Shim (see linux/kvm_host.h): arch/arm64/kvm/trace.h, no tracepoints. */
