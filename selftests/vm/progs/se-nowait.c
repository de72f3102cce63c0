// SPDX-License-Identifier: GPL-2.0
/*
 * se-nowait: one O_DIRECT write with RWF_NOWAIT, read back.
 *
 *	se-nowait <dev> <byte offset> <bytes>
 *
 * Prints what the block layer said: "ok" (written and read back intact),
 * "again" (EAGAIN: it would have blocked, which a NOWAIT-capable queue may
 * answer) or "notsupp" (EOPNOTSUPP: the queue does not take REQ_NOWAIT at
 * all, as for a device-mapper table with a target lacking
 * DM_TARGET_NOWAIT).  Exit status 0 for those three, 1 for a mismatch on
 * read-back, 2 for any other error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned char *buf, *back;
	struct iovec iov;
	size_t len;
	off_t off;
	ssize_t n;
	int fd;

	if (argc != 4) {
		fprintf(stderr, "usage: se-nowait <dev> <byte offset> <bytes>\n");
		return 2;
	}
	off = strtoll(argv[2], NULL, 0);
	len = strtoul(argv[3], NULL, 0);
	fd = open(argv[1], O_RDWR | O_DIRECT);
	if (fd < 0 || posix_memalign((void **)&buf, 4096, len) ||
	    posix_memalign((void **)&back, 4096, len)) {
		perror(argv[1]);
		return 2;
	}
	for (size_t i = 0; i < len; i++)
		buf[i] = (unsigned char)(i * 7 + off / 512);
	iov.iov_base = buf;
	iov.iov_len = len;
	n = pwritev2(fd, &iov, 1, off, RWF_NOWAIT);
	if (n < 0 && errno == EAGAIN) {
		puts("again");
		return 0;
	}
	if (n < 0 && errno == EOPNOTSUPP) {
		puts("notsupp");
		return 0;
	}
	if (n != (ssize_t)len) {
		fprintf(stderr, "pwritev2: %zd: %s\n", n, strerror(errno));
		return 2;
	}
	if (pread(fd, back, len, off) != (ssize_t)len) {
		perror("pread");
		return 2;
	}
	if (memcmp(buf, back, len)) {
		puts("mismatch");
		return 1;
	}
	puts("ok");
	return 0;
}
