/* Shim (see linux/kvm_host.h): the kernel's integer types. */
#ifndef HVX_SHIM_ASM_TYPES_H
#define HVX_SHIM_ASM_TYPES_H
#include <stdbool.h>
#include <stdint.h>
typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;
typedef u64 phys_addr_t;
typedef u64 gpa_t;
#endif
