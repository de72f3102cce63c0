// SPDX-License-Identifier: GPL-2.0
/* Locate and run QEMU binaries with a time limit. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "qemu/binary.h"
#include "qemu/layout.h"

#define RUN_OUTPUT_MAX	(64 * 1024)

static bool is_executable(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode) && !access(path, X_OK);
}

char *qemu_find_binary(const char *name)
{
	const char *path = getenv("PATH"), *p, *colon;
	char *buf;

	if (strchr(name, '/'))
		return is_executable(name) ? strdup(name) : NULL;
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; p = colon + 1) {
		size_t dlen;

		colon = strchr(p, ':');
		dlen = colon ? (size_t)(colon - p) : strlen(p);
		if (dlen) {
			buf = malloc(dlen + strlen(name) + 2);
			if (!buf)
				return NULL;
			sprintf(buf, "%.*s/%s", (int)dlen, p, name);
			if (is_executable(buf))
				return buf;
			free(buf);
		}
		if (!colon)
			return NULL;
	}
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct capture {
	int fd;
	char *buf;
	size_t len;
};

/* Read what is there; false at EOF or error. Beyond the bound, discard. */
static bool capture_read(struct capture *c)
{
	char tmp[4096];
	ssize_t n = read(c->fd, tmp, sizeof(tmp));

	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return true;
	if (n <= 0)
		return false;
	if (c->len < RUN_OUTPUT_MAX) {
		size_t take = (size_t)n;

		if (take > RUN_OUTPUT_MAX - c->len)
			take = RUN_OUTPUT_MAX - c->len;
		memcpy(c->buf + c->len, tmp, take);
		c->len += take;
		c->buf[c->len] = '\0';
	}
	return true;
}

static void close_pipe(int p[2])
{
	if (p[0] >= 0)
		close(p[0]);
	if (p[1] >= 0)
		close(p[1]);
}

/* The child: stdio on the pipes, then exec; the errno of a failed exec
 * goes back through @ex. */
static void __attribute__((noreturn))
run_child(char *const argv[], const int in[2], const int out[2],
	  const int err[2], const int ex[2])
{
	int e;

	dup2(in[0], 0);
	dup2(out[1], 1);
	dup2(err[1], 2);
	execv(argv[0], argv);
	e = errno;
	if (write(ex[1], &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

/* Feed @input to the child's stdin and close it. */
static void feed_input(int fd, const char *input)
{
	struct sigaction ign = { .sa_handler = SIG_IGN }, old;

	/* A QEMU that exits early must not kill us with SIGPIPE. */
	sigaction(SIGPIPE, &ign, &old);
	if (input && *input && write(fd, input, strlen(input)) < 0) {
		/* It exited before reading: its output tells why. */
	}
	sigaction(SIGPIPE, &old, NULL);
	close(fd);
}

/* Read stdout and stderr until both close or @deadline passes. */
static void collect(struct capture cap[2], pid_t pid, uint64_t deadline,
		    struct qemu_run *r)
{
	int open_fds = 2;

	while (open_fds) {
		struct pollfd pfd[2];
		uint64_t t = now_ms();
		int i, nfds = 0, left;

		if (t >= deadline) {
			r->timed_out = true;
			kill(pid, SIGKILL);
			break;
		}
		left = (int)(deadline - t);
		for (i = 0; i < 2; i++)
			if (cap[i].fd >= 0) {
				pfd[nfds].fd = cap[i].fd;
				pfd[nfds].events = POLLIN;
				nfds++;
			}
		if (poll(pfd, nfds, left) < 0 && errno != EINTR)
			break;
		for (i = 0; i < 2; i++) {
			int k;

			if (cap[i].fd < 0)
				continue;
			for (k = 0; k < nfds; k++)
				if (pfd[k].fd == cap[i].fd && pfd[k].revents &&
				    !capture_read(&cap[i])) {
					close(cap[i].fd);
					cap[i].fd = -1;
					open_fds--;
				}
		}
	}
	for (int i = 0; i < 2; i++)
		if (cap[i].fd >= 0)
			close(cap[i].fd);
}

/*
 * Output closed: the process is exiting, or it closed its stdio and
 * keeps running; bound the wait as well.
 */
static void reap(pid_t pid, uint64_t deadline, struct qemu_run *r)
{
	int status = 0;

	while (waitpid(pid, &status, WNOHANG) == 0) {
		if (now_ms() >= deadline) {
			r->timed_out = true;
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		usleep(10000);
	}
	if (WIFEXITED(status))
		r->status = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		r->signal = WTERMSIG(status);
}

bool qemu_run(char *const argv[], const char *input, unsigned timeout_ms,
	      struct qemu_run *r)
{
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, err[2] = { -1, -1 };
	int ex[2] = { -1, -1 };
	struct capture cap[2] = { { -1, NULL, 0 }, { -1, NULL, 0 } };
	uint64_t deadline;
	ssize_t n;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	cap[0].buf = calloc(1, RUN_OUTPUT_MAX + 1);
	cap[1].buf = calloc(1, RUN_OUTPUT_MAX + 1);
	if (!cap[0].buf || !cap[1].buf)
		goto fail;
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) ||
	    pipe2(err, O_CLOEXEC) || pipe2(ex, O_CLOEXEC))
		goto fail;

	pid = fork();
	if (pid < 0)
		goto fail;
	if (pid == 0)
		run_child(argv, in, out, err, ex);
	close(in[0]);
	close(out[1]);
	close(err[1]);
	close(ex[1]);

	feed_input(in[1], input);
	n = read(ex[0], &r->exec_errno, sizeof(r->exec_errno));
	if (n != sizeof(r->exec_errno))
		r->exec_errno = 0;
	close(ex[0]);

	cap[0].fd = out[0];
	cap[1].fd = err[0];
	deadline = now_ms() + timeout_ms;
	collect(cap, pid, deadline, r);
	reap(pid, deadline, r);
	r->out = cap[0].buf;
	r->err = cap[1].buf;
	return true;

fail:
	close_pipe(in);
	close_pipe(out);
	close_pipe(err);
	close_pipe(ex);
	free(cap[0].buf);
	free(cap[1].buf);
	return false;
}

void qemu_run_free(struct qemu_run *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

bool qemu_parse_banner(const char *text, unsigned *ver)
{
	static const char tag[] = "QEMU emulator version ";
	const char *p = text ? strstr(text, tag) : NULL;
	char v[32];
	size_t n;

	if (!p)
		return false;
	p += sizeof(tag) - 1;
	n = strspn(p, "0123456789.");
	if (!n || n >= sizeof(v))
		return false;
	memcpy(v, p, n);
	v[n] = '\0';
	return qemu_parse_version(v, ver);
}

bool qemu_binary_version(const char *path, unsigned *ver)
{
	char *argv[] = { (char *)path, (char *)"--version", NULL };
	struct qemu_run r;
	bool ok;

	if (!qemu_run(argv, NULL, 10000, &r))
		return false;
	ok = !r.exec_errno && r.status == 0 && qemu_parse_banner(r.out, ver);
	qemu_run_free(&r);
	return ok;
}
