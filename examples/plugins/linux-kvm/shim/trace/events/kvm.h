/* Shim (see linux/kvm_host.h): KVM's MMIO trace event, a no-op here. */
#ifndef HVX_SHIM_TRACE_EVENTS_KVM_H
#define HVX_SHIM_TRACE_EVENTS_KVM_H
#define KVM_TRACE_MMIO_READ_UNSATISFIED 0
#define KVM_TRACE_MMIO_READ 1
#define KVM_TRACE_MMIO_WRITE 2
#define trace_kvm_mmio(type, len, gpa, val) \
	do { (void)(type); (void)(len); (void)(gpa); (void)(val); } while (0)
#endif
