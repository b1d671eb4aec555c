/*
 * One main() for a cmocka test program: its tests in order, with the
 * group's setup and teardown (or NULL).
 */
#ifndef HVEXIT_TESTS_TEST_MAIN_H
#define HVEXIT_TESTS_TEST_MAIN_H

#define HVX_TEST_MAIN(setup, teardown, ...) \
	int main(void) \
	{ \
		const struct CMUnitTest hvx_tests_[] = { __VA_ARGS__ }; \
		return cmocka_run_group_tests(hvx_tests_, setup, teardown); \
	}

/* A test between its file's setup() and teardown(): a fresh fixture each. */
#define HVX_TEST_FIXTURE(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

/* Test f reported under name, run with *state = st (a row of its table). */
#define HVX_TEST_STATE(name, f, st) { name, f, NULL, NULL, (void *)(st) }

/* HVX_TEST_STATE between the file's setup() and teardown(). */
#define HVX_TEST_FIXTURE_STATE(name, f, st) { name, f, setup, teardown, (void *)(st) }

#endif
