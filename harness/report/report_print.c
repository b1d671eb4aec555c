/* The report on a stream in the format a command was asked for (report.h). */
#include "harness/report/report.h"

void report_print(const struct report *r, FILE *f, enum report_format fmt, json_t *extra,
		  size_t max)
{
	json_t *o;

	switch (fmt) {
	case REPORT_FMT_JSON:
		o = report_to_json(r);
		if (extra)
			json_object_update(o, extra);
		json_dumpf(o, f, JSON_INDENT(1));
		fputc('\n', f);
		json_decref(o);
		break;
	case REPORT_FMT_TAP:
		report_write_tap(r, f);
		break;
	case REPORT_FMT_TEXT:
		report_write_text(r, f, max);
		break;
	case REPORT_FMT_NONE:
		break;
	}
	json_decref(extra);
}

enum report_format report_format_of(bool json, bool tap, bool quiet)
{
	return json ? REPORT_FMT_JSON : tap ? REPORT_FMT_TAP : quiet ? REPORT_FMT_NONE : REPORT_FMT_TEXT;
}
