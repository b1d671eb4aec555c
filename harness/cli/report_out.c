/* The shared report options and output of the reporting commands (report_out.h). */
#include "harness/cli/cli.h"
#include "harness/cli/report_out.h"

int report_out_load(struct report_out *ro, char **inputs, int n, const char *what)
{
	char err[4300];

	if (ro->update && !ro->baseline)
		return cli_error(ro->cmd, "--update-baseline needs --baseline FILE");
	for (int i = 0; i < n; i++) {
		const char *o = outfile_same_file(inputs[i], ro->junit) ? ro->junit :
				outfile_same_file(inputs[i], ro->findings) ? ro->findings :
				outfile_same_file(inputs[i], ro->baseline) ? ro->baseline : NULL;

		if (o)
			return cli_error(ro->cmd, "%s is the %s %s itself: it would be overwritten", o,
					 what, inputs[i]);
	}
	if (ro->baseline && baseline_load(ro->baseline, !ro->update, &ro->bl, err, sizeof(err)) < 0)
		return cli_error(ro->cmd, "%s", err);
	return 0;
}

int report_out_attach(struct report_out *ro, struct report *rep)
{
	report_use_baseline(rep, ro->bl);
	if (!ro->findings)
		return 0;
	if (outfile_open(&ro->fo, ro->findings) < 0)
		return cli_error(ro->cmd, "%s", ro->fo.err);
	ro->streaming = true;
	report_stream_to(rep, ro->fo.f);
	return 0;
}

enum report_format report_out_format(const struct report_out *ro)
{
	return report_format_of(ro->json, ro->tap, ro->quiet);
}

FILE *report_out_log(const struct report_out *ro)
{
	return ro->json || ro->tap ? stderr : stdout;
}

int report_out_update(const struct report_out *ro, struct report *rep, int status)
{
	char err[4300];

	if (!ro->update)
		return status;
	if (report_update_baseline(rep, stderr, err, sizeof(err)) < 0)
		return cli_error(ro->cmd, "%s", err);
	return status == 1 ? 0 : status;	/* the findings are in the baseline now */
}

void report_out_print(const struct report_out *ro, const struct report *rep, json_t *extra,
		      size_t max)
{
	report_print(rep, stdout, report_out_format(ro), extra, max);
}

int report_out_finish(struct report_out *ro, const struct report *rep, FILE *summary, int status)
{
	char err[4300];

	if (summary)
		report_write_summary(rep, summary);
	if (ro->junit && report_write_junit(rep, ro->junit, err, sizeof(err)) < 0)
		status = cli_error(ro->cmd, "%s", err);
	if (ro->streaming) {
		ro->streaming = false;
		if (outfile_commit(&ro->fo) < 0)
			status = cli_error(ro->cmd, "%s", ro->fo.err);
	}
	return status;
}

void report_out_free(struct report_out *ro)
{
	if (ro->streaming)
		outfile_abort(&ro->fo);
	ro->streaming = false;
	baseline_free(ro->bl);
	ro->bl = NULL;
}
