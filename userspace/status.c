// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl status and sigilctl log: sigil/status as a table or JSON, and
 * the decision log, once or followed as it grows.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sigilctl.h"
#include "sigilbpf.h"

int cmd_status(int argc, char **argv)
{
	char path[512], *line, *save;
	bool first = true;
	size_t len;
	u8 *buf;
	int rc = cmd_operands(argc, argv, "status", true);

	if (rc)
		return cmd_exit(rc);
	if (optind != argc)
		return usage_error("status", "no arguments");
	if (bpf_instead())
		return bpf_status();
	if (!sigil_present())
		return EXIT_ENV;
	sfs_path(path, sizeof(path), "status");
	rc = read_all(path, &buf, &len);
	if (rc) {
		warnx("%s: %s", path, strerror(-rc));
		return EXIT_ENV;
	}
	if (opt_json)
		putchar('{');
	for (line = strtok_r((char *)buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':'), *val, *end;
		long long num;

		if (!colon)
			continue;
		*colon = '\0';
		val = colon + 1 + (colon[1] == ' ');
		if (!opt_json) {
			printf("%-26s %s\n", line, val);
			continue;
		}
		errno = 0;
		num = strtoll(val, &end, 10);
		if (*val && !*end && !errno)
			json_kv_num(line, num, &first);
		else
			json_kv_str(line, val, &first);
	}
	if (opt_json)
		puts("}");
	free(buf);
	return EXIT_OK;
}

/* The seq= number of a log line, or -1. */
static long long seq_of(const char *line)
{
	return strncmp(line, "seq=", 4) ? -1 : strtoll(line + 4, NULL, 10);
}

static void print_line(const char *line)
{
	if (opt_json) {
		bool first = true;

		putchar('{');
		json_kv_str("line", line, &first);
		json_kv_num("seq", seq_of(line), &first);
		puts("}");
	} else {
		puts(line);
	}
}

static const struct option log_opts[] = {
	{ "follow", no_argument, NULL, 'f' },
	OPTION_JSON,
	OPTION_HELP,
	{ NULL },
};

int cmd_log(int argc, char **argv)
{
	long long last = -1;
	bool follow = false;
	char path[512];
	int c;

	while ((c = cmd_getopt(argc, argv, "log", ":fh", log_opts)) != -1) {
		if (c != 'f')
			return cmd_exit(c);
		follow = true;
	}
	if (optind != argc)
		return usage_error("log", "unknown argument %s", argv[optind]);
	if (bpf_instead())
		return bpf_log(follow);
	if (!sigil_present())
		return EXIT_ENV;
	sfs_path(path, sizeof(path), "log");
	for (;;) {
		char *line, *save;
		size_t len;
		u8 *buf;
		int rc = read_all(path, &buf, &len);

		if (rc) {
			warnx("%s: %s", path, strerror(-rc));
			return rc == -EACCES || rc == -EPERM ? EXIT_ENV : EXIT_FAIL;
		}
		for (line = strtok_r((char *)buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			long long seq = seq_of(line);

			if (seq > last) {
				print_line(line);
				last = seq;
			}
		}
		free(buf);
		fflush(stdout);
		if (!follow)
			return EXIT_OK;
		usleep(250000);
	}
}
