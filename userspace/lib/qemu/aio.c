// SPDX-License-Identifier: GPL-2.0
/*
 * Probe a QEMU binary's AIO back ends by letting it open a file with each
 * one. QEMU decides in raw_open_common() (block/file-posix.c): aio=native
 * fails with "aio=native was specified, but is not supported in this
 * build." without CONFIG_LINUX_AIO, or "... requires cache.direct=on ..."
 * without O_DIRECT, or "Unable to use native AIO: ..." when io_setup()
 * fails; aio=io_uring likewise ("Unable to use io_uring: ..." when the
 * kernel refuses io_uring_setup()). The probe passes cache.direct=on where
 * O_DIRECT works, as Kata and libvirt do for aio=native.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qemu/aio.h"
#include "qemu/binary.h"

#define PROBE_TIMEOUT_MS	15000
#define PROBE_BLOCK		4096

static const char *const names[QEMU_AIO_NR] = {
	[QEMU_AIO_THREADS] = "threads",
	[QEMU_AIO_NATIVE] = "native",
	[QEMU_AIO_IO_URING] = "io_uring",
};

const char *qemu_aio_name(enum qemu_aio_mode mode)
{
	return mode < QEMU_AIO_NR ? names[mode] : "none";
}

/* Open @file with O_DIRECT and do one aligned read (and write, when
 * @writable): what cache.direct=on needs from the kernel and filesystem. */
static void check_o_direct(const char *file, bool writable,
			   struct qemu_aio_probe *p)
{
	void *buf = NULL;
	ssize_t n;
	int fd;

	fd = open(file, (writable ? O_RDWR : O_RDONLY) | O_DIRECT | O_CLOEXEC);
	if (fd < 0) {
		snprintf(p->o_direct_error, sizeof(p->o_direct_error),
			 "open(O_DIRECT): %s", strerror(errno));
		return;
	}
	if (posix_memalign(&buf, PROBE_BLOCK, PROBE_BLOCK)) {
		snprintf(p->o_direct_error, sizeof(p->o_direct_error),
			 "out of memory");
		close(fd);
		return;
	}
	memset(buf, 0, PROBE_BLOCK);
	n = writable ? pwrite(fd, buf, PROBE_BLOCK, 0) : PROBE_BLOCK;
	if (n == PROBE_BLOCK)
		n = pread(fd, buf, PROBE_BLOCK, 0);
	if (n != PROBE_BLOCK)
		snprintf(p->o_direct_error, sizeof(p->o_direct_error),
			 "%s with O_DIRECT: %s", writable ? "4 KiB write/read" :
			 "4 KiB read", n < 0 ? strerror(errno) : "short transfer");
	else
		p->o_direct = true;
	free(buf);
	close(fd);
}

/*
 * QEMU prints "<argv0>: -blockdev <the option>: <message>"; keep only the
 * message, first line, without the warnings TCG or deprecations add.
 */
static void qemu_message(const char *err, const char *opt, char *out,
			 size_t len)
{
	const char *line = err, *nl, *p;

	out[0] = '\0';
	for (; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (strstr(line, ": warning: ") &&
		    (!nl || strstr(line, ": warning: ") < nl))
			continue;
		p = strstr(line, opt);
		if (p && (!nl || p < nl) && !strncmp(p + strlen(opt), ": ", 2))
			line = p + strlen(opt) + 2;
		else if ((p = strstr(line, ": ")) && (!nl || p < nl))
			line = p + 2;
		snprintf(out, len, "%.*s", (int)(nl ? nl - line :
						 (ptrdiff_t)strlen(line)), line);
		return;
	}
}

static void probe_mode(const struct qemu_aio_probe *p, const char *file,
		       bool readonly, enum qemu_aio_mode mode, bool *works,
		       char *error, size_t errlen)
{
	static const char qmp[] = "{\"execute\":\"qmp_capabilities\"}\n"
				  "{\"execute\":\"quit\"}\n";
	char opt[1400];
	char *argv[] = { (char *)p->qemu, (char *)"-machine", (char *)"none",
			 (char *)"-nodefaults", (char *)"-display",
			 (char *)"none", (char *)"-S", (char *)"-qmp",
			 (char *)"stdio", (char *)"-blockdev", opt, NULL };
	struct qemu_run r;

	snprintf(opt, sizeof(opt), "driver=file,node-name=probe,filename=%s,"
		 "aio=%s,cache.direct=%s%s", file, names[mode],
		 p->o_direct ? "on" : "off", readonly ? ",read-only=on" : "");
	*works = false;
	if (!qemu_run(argv, qmp, PROBE_TIMEOUT_MS, &r)) {
		snprintf(error, errlen, "cannot run QEMU: %s",
			 strerror(errno));
		return;
	}
	if (r.exec_errno)
		snprintf(error, errlen, "cannot run QEMU: %s",
			 strerror(r.exec_errno));
	else if (r.timed_out)
		snprintf(error, errlen, "no answer within %u s",
			 PROBE_TIMEOUT_MS / 1000);
	else if (r.status == 0)
		*works = true;
	else {
		qemu_message(r.err, opt, error, errlen);
		if (!error[0])
			snprintf(error, errlen, "exit status %d%s", r.status,
				 r.signal ? " (killed by a signal)" : "");
	}
	qemu_run_free(&r);
}

bool qemu_aio_probe(const char *qemu, const char *path,
		    struct qemu_aio_probe *p)
{
	char scratch[1100];
	char *bin;
	struct stat st;
	int fd = -1, m;

	memset(p, 0, sizeof(*p));
	snprintf(p->path, sizeof(p->path), "%s", path);
	snprintf(p->qemu, sizeof(p->qemu), "%s", qemu);
	if (stat(path, &st))
		return false;
	p->path_is_dir = S_ISDIR(st.st_mode);
	if (p->path_is_dir) {
		snprintf(scratch, sizeof(scratch), "%s/.sectoremu-aio-XXXXXX",
			 path);
		fd = mkostemp(scratch, O_CLOEXEC);
		if (fd < 0)
			return false;
		if (ftruncate(fd, 1 << 20)) {
			int e = errno;

			close(fd);
			unlink(scratch);
			errno = e;
			return false;
		}
		close(fd);
	} else {
		snprintf(scratch, sizeof(scratch), "%s", path);
	}
	check_o_direct(scratch, p->path_is_dir, p);

	bin = qemu_find_binary(qemu);
	if (!bin) {
		p->binary = QEMU_AIO_BINARY_MISSING;
	} else {
		snprintf(p->qemu, sizeof(p->qemu), "%s", bin);
		free(bin);
		if (!qemu_binary_version(p->qemu, &p->qemu_version))
			p->binary = QEMU_AIO_BINARY_NOT_QEMU;
	}
	for (m = 0; p->binary == QEMU_AIO_BINARY_OK && m < QEMU_AIO_NR; m++)
		probe_mode(p, scratch, !p->path_is_dir, m, &p->works[m],
			   p->error[m], sizeof(p->error[m]));
	if (p->path_is_dir)
		unlink(scratch);
	return true;
}

enum qemu_aio_mode qemu_aio_recommend(const struct qemu_aio_probe *p)
{
	if (p->works[QEMU_AIO_IO_URING])
		return QEMU_AIO_IO_URING;
	if (p->works[QEMU_AIO_NATIVE] && p->o_direct)
		return QEMU_AIO_NATIVE;
	if (p->works[QEMU_AIO_THREADS])
		return QEMU_AIO_THREADS;
	return QEMU_AIO_NR;
}
