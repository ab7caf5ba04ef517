/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A minimal audit daemon for the guest tests: register over NETLINK_AUDIT,
 * collect sigil's records up to a marker, unregister.
 */
#ifndef _SIGIL_SELFTEST_AUDIT_H
#define _SIGIL_SELFTEST_AUDIT_H

#include <linux/audit.h>
#include <linux/netlink.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/socket.h>

#include "common.h"

#define AUDIT_RECORDS_MAX	64
#define AUDIT_RECORD_LEN	8192
/*
 * A safety net, not a timing assertion: records are read up to a marker
 * that the kernel queues after them, so a correct kernel never waits this
 * long; a broken one fails the test instead of hanging the suite.
 */
#define AUDIT_WAIT_MS		20000

struct audit_record {
	int type;
	char text[AUDIT_RECORD_LEN];
};

/**
 * struct audit_daemon - this process, registered as the audit daemon
 * @fd: the NETLINK_AUDIT socket
 * @seq: the last request's sequence number
 * @old_enabled: audit's enabled flag before registering, restored after
 * @markers: markers sent so far
 * @n: records in @rec
 * @rec: sigil's records ("lsm=sigil") read by the last audit_collect()
 */
struct audit_daemon {
	int fd;
	__u32 seq;
	__u32 old_enabled;
	int markers;
	int n;
	struct audit_record *rec;
};

static inline int audit_send(struct audit_daemon *ad, int type, __u16 flags,
			     const void *data, size_t len)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct {
		struct nlmsghdr h;
		char data[1024];
	} msg = { 0 };

	if (len > sizeof(msg.data))
		return -EINVAL;
	msg.h.nlmsg_len = NLMSG_LENGTH(len);
	msg.h.nlmsg_type = type;
	msg.h.nlmsg_flags = NLM_F_REQUEST | flags;
	msg.h.nlmsg_seq = ++ad->seq;
	memcpy(msg.data, data, len);
	if (sendto(ad->fd, &msg, msg.h.nlmsg_len, 0,
		   (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		return -errno;
	return 0;
}

/* Receive one message: its type, and its payload NUL-terminated. */
static inline int audit_recv(struct audit_daemon *ad, int *type,
			     char *buf, size_t size)
{
	static char raw[NLMSG_HDRLEN + AUDIT_RECORD_LEN];
	struct pollfd p = { .fd = ad->fd, .events = POLLIN };
	struct nlmsghdr *h = (struct nlmsghdr *)raw;
	ssize_t n;
	size_t len;

	if (poll(&p, 1, AUDIT_WAIT_MS) != 1)
		return -ETIMEDOUT;
	n = recv(ad->fd, raw, sizeof(raw), 0);
	if (n < 0)
		return -errno;
	if ((size_t)n < NLMSG_HDRLEN)
		return -EBADMSG;
	*type = h->nlmsg_type;
	len = n - NLMSG_HDRLEN;
	if (len > size - 1)
		len = size - 1;
	memcpy(buf, raw + NLMSG_HDRLEN, len);
	buf[len] = '\0';
	return h->nlmsg_seq == ad->seq ? 1 : 0;
}

/* Send a request and wait for its acknowledgement; 0 or -errno. */
static inline int audit_request(struct audit_daemon *ad, int type,
				const void *data, size_t len)
{
	static char buf[AUDIT_RECORD_LEN];
	int rc, t = 0;

	rc = audit_send(ad, type, NLM_F_ACK, data, len);
	while (!rc) {
		rc = audit_recv(ad, &t, buf, sizeof(buf));
		if (rc < 0)
			return rc;
		if (rc && t == NLMSG_ERROR)
			return ((struct nlmsgerr *)buf)->error;
		rc = 0;
	}
	return rc;
}

static inline int audit_get_status(struct audit_daemon *ad,
				   struct audit_status *s)
{
	static char buf[AUDIT_RECORD_LEN];
	int rc, t = 0;

	rc = audit_send(ad, AUDIT_GET, 0, NULL, 0);
	while (!rc) {
		rc = audit_recv(ad, &t, buf, sizeof(buf));
		if (rc < 0)
			return rc;
		if (rc && t == NLMSG_ERROR)
			return ((struct nlmsgerr *)buf)->error ?: -EPROTO;
		if (rc && t == AUDIT_GET) {
			memcpy(s, buf, sizeof(*s));
			return 0;
		}
		rc = 0;
	}
	return rc;
}

/* Turn auditing on or off, staying registered; 0 or -errno. */
static inline int audit_set_enabled(struct audit_daemon *ad, int enabled)
{
	struct audit_status s = {
		.mask = AUDIT_STATUS_ENABLED,
		.enabled = enabled,
	};

	return audit_request(ad, AUDIT_SET, &s, sizeof(s));
}

/* Become the audit daemon, with auditing enabled; 0 or -errno. */
static inline int audit_register(struct audit_daemon *ad)
{
	struct audit_status s = { 0 };
	int rc;

	memset(ad, 0, sizeof(*ad));
	ad->rec = calloc(AUDIT_RECORDS_MAX, sizeof(*ad->rec));
	if (!ad->rec)
		return -ENOMEM;
	ad->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_AUDIT);
	if (ad->fd < 0)
		return -errno;
	rc = audit_get_status(ad, &s);
	if (rc)
		return rc;
	ad->old_enabled = s.enabled;
	s.mask = AUDIT_STATUS_ENABLED | AUDIT_STATUS_PID;
	s.enabled = 1;
	s.pid = getpid();
	return audit_request(ad, AUDIT_SET, &s, sizeof(s));
}

/* Stop being the audit daemon and restore the enabled flag. */
static inline void audit_unregister(struct audit_daemon *ad)
{
	struct audit_status s = {
		.mask = AUDIT_STATUS_ENABLED | AUDIT_STATUS_PID,
		.enabled = ad->old_enabled,
		.pid = 0,
	};

	if (ad->fd > 0) {
		audit_request(ad, AUDIT_SET, &s, sizeof(s));
		close(ad->fd);
	}
	ad->fd = -1;
	free(ad->rec);
	ad->rec = NULL;
}

/*
 * Queue a marker behind every record already generated, then read up to
 * it, keeping sigil's records.  The marker is a user AVC message, which
 * the kernel accepts even while auditing is disabled.  Returns the number
 * of sigil records, or -errno.
 */
static inline int audit_collect(struct audit_daemon *ad)
{
	static char buf[AUDIT_RECORD_LEN];
	char marker[64];
	int rc, type = 0;

	snprintf(marker, sizeof(marker), "sigil-selftest-marker-%d",
		 ++ad->markers);
	rc = audit_send(ad, AUDIT_USER_AVC, 0, marker, strlen(marker) + 1);
	if (rc)
		return rc;
	ad->n = 0;
	for (;;) {
		rc = audit_recv(ad, &type, buf, sizeof(buf));
		if (rc < 0)
			return rc;
		if (type == AUDIT_USER_AVC && strstr(buf, marker))
			return ad->n;
		if (!strstr(buf, "): lsm=sigil ") || ad->n == AUDIT_RECORDS_MAX)
			continue;
		ad->rec[ad->n].type = type;
		snprintf(ad->rec[ad->n].text, AUDIT_RECORD_LEN, "%s", buf);
		ad->n++;
	}
}

/* The first collected record of @type that contains @needle, or NULL. */
static inline const char *audit_find(const struct audit_daemon *ad, int type,
				     const char *needle)
{
	int i;

	for (i = 0; i < ad->n; i++)
		if (ad->rec[i].type == type && strstr(ad->rec[i].text, needle))
			return ad->rec[i].text;
	return NULL;
}

/* How many collected records have @type. */
static inline int audit_count(const struct audit_daemon *ad, int type)
{
	int i, n = 0;

	for (i = 0; i < ad->n; i++)
		n += ad->rec[i].type == type;
	return n;
}

/* @s as audit hex-encodes an untrusted string: upper-case hex. */
static inline const char *audit_hex(const char *s, char *buf, size_t size)
{
	size_t i;

	for (i = 0; s[i] && 2 * i + 2 < size; i++)
		sprintf(buf + 2 * i, "%02X", (unsigned char)s[i]);
	buf[2 * i] = '\0';
	return buf;
}

/* Does record @r end with @tail? */
static inline bool audit_ends_with(const char *r, const char *tail)
{
	size_t n = strlen(r), t = strlen(tail);

	return n >= t && !strcmp(r + n - t, tail);
}

#endif /* _SIGIL_SELFTEST_AUDIT_H */
