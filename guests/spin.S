/*
 * spin: a guest that never exits (a branch to itself on every vCPU). The
 * backend must stop it after --timeout with immediate_exit + a signal and
 * report a timeout; the suite expects exactly that end.
 */
	.section .text.start, "ax"
	.global _start
_start:
	b	_start
