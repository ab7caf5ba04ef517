// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl manifest load, update, list and delete: the loaded manifests,
 * through sigil's securityfs files manifests/new and manifests/<name>/
 * ($SIGIL_SECURITYFS, as for policies).
 */

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "mf.h"

/* Write @file to @target (under the securityfs directory), as load does. */
static int write_manifest(const char *target, const char *file, const char *name)
{
	long long errors;
	char path[512];
	size_t len;
	u8 *buf;
	int rc;

	if (!sigil_present())
		return EXIT_ENV;
	rc = load_bytes(file, &buf, &len);
	if (rc)
		return rc;
	policy_uncompress(file, &buf, &len);
	sfs_path(path, sizeof(path), "%s", target);
	errors = status_count("manifest_errors");
	rc = write_once(path, buf, len);
	free(buf);
	if (rc == -ENOENT) {
		if (name)
			warnx("no manifest '%s' is loaded", name);
		else
			warnx("%s: this sigil takes no manifests", path);
		return EXIT_FAIL;
	}
	return rc ? refused_write(file, rc, "manifest", errors) : EXIT_OK;
}

int cmd_manifest_load(int argc, char **argv)
{
	int rc = cmd_operands(argc, argv, "manifest load", true);

	if (rc)
		return cmd_exit(rc);
	if (argc - optind != 1)
		return usage_error("manifest load", "one manifest file");
	rc = write_manifest("manifests/new", argv[optind], NULL);
	if (!rc && !opt_json)
		printf("loaded %s\n", argv[optind]);
	return rc;
}

int cmd_manifest_update(int argc, char **argv)
{
	char target[300];
	const char *name;
	int rc = cmd_operands(argc, argv, "manifest update", true);

	if (rc)
		return cmd_exit(rc);
	if (argc - optind != 2)
		return usage_error("manifest update", "a manifest name and a file");
	name = argv[optind];
	if (!sigil_manifest_name_valid(name, strlen(name)))
		return usage_error("manifest update", "'%s' is not a manifest name", name);
	snprintf(target, sizeof(target), "manifests/%s/update", name);
	rc = write_manifest(target, argv[optind + 1], name);
	if (!rc && !opt_json)
		printf("updated '%s' from %s\n", name, argv[optind + 1]);
	return rc;
}

int cmd_manifest_delete(int argc, char **argv)
{
	long long errors;
	char path[512];
	const char *name;
	int rc = cmd_operands(argc, argv, "manifest delete", true);

	if (rc)
		return cmd_exit(rc);
	if (argc - optind != 1)
		return usage_error("manifest delete", "one manifest name");
	name = argv[optind];
	if (!sigil_manifest_name_valid(name, strlen(name)))
		return usage_error("manifest delete", "'%s' is not a manifest name", name);
	if (!sigil_present())
		return EXIT_ENV;
	sfs_path(path, sizeof(path), "manifests/%s/delete", name);
	errors = status_count("manifest_errors");
	rc = write_once(path, "1", 1);
	if (rc == -ENOENT) {
		warnx("no manifest '%s' is loaded", name);
		return EXIT_FAIL;
	}
	if (rc == -EBUSY) {
		warnx("%s: %s: the active policy names it (manifest=%s)", name,
		      strerror(EBUSY), name);
		return EXIT_FAIL;
	}
	return rc ? refused_write(name, rc, "manifest", errors) : EXIT_OK;
}

/* manifests/<name>/<file>, its last newline dropped; malloc()ed, or NULL. */
static char *manifest_file(const char *name, const char *file, size_t *len)
{
	char path[512];
	size_t n;
	u8 *buf;

	sfs_path(path, sizeof(path), "manifests/%s/%s", name, file);
	if (read_all(path, &buf, &n))
		return NULL;
	if (n && buf[n - 1] == '\n' && strcmp(file, "entries"))
		buf[--n] = '\0';
	if (len)
		*len = n;
	return (char *)buf;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cmd_manifest_list(int argc, char **argv)
{
	char path[512], **names = NULL;
	size_t n = 0, cap = 0, i;
	struct dirent *de;
	DIR *d;
	int rc = cmd_operands(argc, argv, "manifest list", true);

	if (rc)
		return cmd_exit(rc);
	if (optind != argc)
		return usage_error("manifest list", "no arguments");
	if (!sigil_present())
		return EXIT_ENV;
	sfs_path(path, sizeof(path), "manifests");
	d = opendir(path);
	if (!d) {
		warnx("%s: %s", path, strerror(errno));
		return errno == ENOENT ? EXIT_FAIL : EXIT_ENV;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !strcmp(de->d_name, "new"))
			continue;
		if (n == cap) {
			char **g = realloc(names, (cap = cap ? 2 * cap : 16) * sizeof(*g));

			if (!g)
				break;
			names = g;
		}
		names[n] = strdup(de->d_name);
		if (names[n])
			n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), name_cmp);
	if (opt_json)
		putchar('[');
	else
		printf("%-24s %-10s %8s  %s\n", "NAME", "VERSION", "ENTRIES", "SIGNER");
	for (i = 0; i < n; i++) {
		char *version = manifest_file(names[i], "version", NULL);
		char *signer = manifest_file(names[i], "signer", NULL);
		size_t len = 0, k;
		char *entries = manifest_file(names[i], "entries", &len);
		long long count = entries ? 0 : -1;

		for (k = 0; entries && k < len; k++)
			count += entries[k] == '\n';
		if (opt_json) {
			bool first = true;

			printf("%s{", i ? "," : "");
			json_kv_str("name", names[i], &first);
			json_kv_str("version", version, &first);
			json_kv_num("entries", count, &first);
			json_kv_str("signer", signer, &first);
			putchar('}');
		} else {
			char c[24] = "?";

			if (count >= 0)
				snprintf(c, sizeof(c), "%lld", count);
			printf("%-24s %-10s %8s  %s\n", names[i], version ? version : "?",
			       c, signer ? signer : "?");
		}
		free(version);
		free(signer);
		free(entries);
		free(names[i]);
	}
	if (opt_json)
		puts("]");
	free(names);
	return EXIT_OK;
}
