// SPDX-License-Identifier: GPL-2.0
/*
 * se-replay: replay a dm-log-writes log onto a fresh device, point by
 * point, and run a check command at each point (the way xfstests'
 * replay-log does with --check and --fsck, written anew).
 *
 *   se-replay --log LOG --dev DEV --run CMD [--start MARK] [--fua]
 *             [--torn N] [--seed S] [--payload-order] [--stop-on-fail]
 *
 * The entries are written to DEV in log order (O_DIRECT; a discard writes
 * zeroes).  Points, each followed by CMD (run by sh):
 *
 *   mark   every mark, once everything before it is on DEV;
 *   fua    with --fua, every entry carrying FUA, once it is on DEV;
 *   torn   with --torn N, N times after each mark: a random subset of the
 *          data entries up to the next mark (each kept with probability
 *          1/2), written in log order on top of the mark's state, then
 *          undone before the replay goes on.
 *
 * Points before the mark named by --start are replayed but not checked.
 * CMD sees SE_KIND (mark, fua, torn), SE_POINT (a description), SE_MARK
 * (the last mark on DEV) and SE_NEXT (the next mark in the log, empty
 * after the last).  A non-zero exit status of CMD fails the point.
 *
 * --payload-order, for logs of se-crash's self-identifying sectors
 * (se-payload.h): dm-log-writes logs a FUA write when it completes but a
 * plain write only when the next flush completes, so a plain write of a
 * block can sit in the log after a FUA write of the same block that was
 * issued after it (and carries its data).  Replaying that order would
 * revert the block, which no device does.  With this option a plain write
 * is written block by block (the log's block size), and a block of it
 * whose every sector holds an older write id than DEV holds there is taken
 * as logged out of order and not written (counted as "stale"); a block
 * that carries newer data in any sector, and every FUA write, is written.
 *
 * Exit status: 0 every point passed, 1 a point failed, 2 usage or I/O error.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>

#include "se-log.h"
#include "se-payload.h"

static struct se_log lg;
static int dev;
static const char *run_cmd, *start_mark;
static unsigned int torn_n;
static uint64_t rng = 1;
static bool fua_points, payload_order, stop_on_fail;
static uint64_t nr_points, nr_failed, nr_stale, nr_kind[3];
static unsigned char *buf, *cur;
static size_t buf_len;

struct saved {
	uint64_t sector, nr;
	unsigned char *old;
};

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static unsigned char *aligned(size_t len)
{
	void *p;

	if (posix_memalign(&p, 4096, len ? len : 4096))
		die("posix_memalign");
	return p;
}

static void grow(size_t len)
{
	if (len <= buf_len)
		return;
	free(buf);
	free(cur);
	buf = aligned(len);
	cur = aligned(len);
	buf_len = len;
}

static void dev_io(bool write, void *p, uint64_t sector, uint64_t nr)
{
	ssize_t r = write ? pwrite(dev, p, nr * 512, sector * 512) :
			    pread(dev, p, nr * 512, sector * 512);

	if (r != (ssize_t)(nr * 512)) {
		fprintf(stderr, "se-replay: %s of sectors %" PRIu64 "+%" PRIu64 ": %s\n",
			write ? "write" : "read", sector, nr, r < 0 ? strerror(errno) : "short");
		exit(2);
	}
}

static int64_t sector_id(const unsigned char *p)
{
	struct pl_head h;

	return pl_parse(p, &h) ? (int64_t)h.id : -1;
}

/*
 * The @nr sectors of a block write at @p, against DEV's at @q: every
 * sector holds an older write id, or the same, and not all the same.
 */
static bool stale(const unsigned char *p, const unsigned char *q, uint64_t nr)
{
	bool older = false;
	uint64_t s;

	for (s = 0; s < nr; s++) {
		int64_t a = sector_id(p + s * 512), b = sector_id(q + s * 512);

		if (a > b)
			return false;
		older |= a < b;
	}
	return older;
}

/*
 * Write entry @e to DEV; with @sv, keep what it overwrites there first.
 * With --payload-order a plain write is written block by block (of the
 * log's block size), leaving out the stale blocks.
 */
static void apply(const struct se_log_entry *e, struct saved *sv)
{
	uint64_t bs = lg.ss / 512, c, end, len = e->nr * 512;
	bool order = payload_order && !(e->flags & (LOG_FUA | LOG_DISCARD));
	bool st;

	if (sv)
		sv->old = NULL;
	if (!(e->flags & LOG_DISCARD) && !se_log_is_data(e))
		return;
	grow(len);
	if (e->flags & LOG_DISCARD)
		memset(buf, 0, len);
	else
		se_log_data(&lg, e, buf);
	if (sv || order)
		dev_io(false, cur, e->sector, e->nr);
	if (sv) {
		sv->sector = e->sector;
		sv->nr = e->nr;
		sv->old = aligned(len);
		memcpy(sv->old, cur, len);
	}
	if (!order) {
		dev_io(true, buf, e->sector, e->nr);
		return;
	}
	for (c = 0; c < e->nr; c = end) {
		st = stale(buf + c * 512, cur + c * 512, bs);
		for (end = c + bs; end < e->nr && stale(buf + end * 512, cur + end * 512, bs) == st;
		     end += bs)
			;
		if (st)
			nr_stale += (end - c) / bs;
		else
			dev_io(true, buf + c * 512, e->sector + c, end - c);
	}
}

static void point(int kind, const char *desc, const char *mark, const char *next)
{
	static const char *const kinds[] = { "mark", "fua", "torn" };
	int rc;

	nr_points++;
	nr_kind[kind]++;
	setenv("SE_KIND", kinds[kind], 1);
	setenv("SE_POINT", desc, 1);
	setenv("SE_MARK", mark, 1);
	setenv("SE_NEXT", next, 1);
	fflush(stdout);
	rc = system(run_cmd);
	if (rc == 0)
		return;
	nr_failed++;
	printf("FAIL %s: %s (status %d)\n", kinds[kind], desc, rc);
	if (stop_on_fail) {
		printf("se-replay: stopped at the first failed point\n");
		exit(1);
	}
}

/* The torn points after the mark at index @m, up to the next mark. */
static void torn(uint64_t m, const char *next)
{
	uint64_t i, end, n, nr_data = 0;
	struct saved *sv;
	char desc[160];
	unsigned int t;

	for (end = m + 1; end < lg.n && !(lg.e[end].flags & LOG_MARK); end++)
		nr_data += se_log_is_data(&lg.e[end]);
	if (!nr_data)
		return;
	sv = calloc(end - m, sizeof(*sv));
	if (!sv)
		die("calloc");
	for (t = 0; t < torn_n; t++) {
		n = 0;
		for (i = m + 1; i < end; i++) {
			if (!se_log_is_data(&lg.e[i]) || (rnd() & 1))
				continue;
			apply(&lg.e[i], &sv[n]);
			n += sv[n].old != NULL;
		}
		snprintf(desc, sizeof(desc), "torn %u after %s: %" PRIu64 " of %" PRIu64 " writes",
			 t, lg.e[m].mark, n, nr_data);
		point(2, desc, lg.e[m].mark, next);
		while (n--) {
			dev_io(true, sv[n].old, sv[n].sector, sv[n].nr);
			free(sv[n].old);
		}
	}
	free(sv);
}

static const char *next_mark(uint64_t i)
{
	for (i++; i < lg.n; i++)
		if (lg.e[i].flags & LOG_MARK)
			return lg.e[i].mark;
	return "";
}

static void usage(void)
{
	fprintf(stderr,
		"usage: se-replay --log LOG --dev DEV --run CMD [--start MARK] [--fua]\n"
		"       [--torn N] [--seed S] [--payload-order] [--stop-on-fail]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "log", 1, 0, 'l' }, { "dev", 1, 0, 'd' }, { "run", 1, 0, 'r' },
		{ "start", 1, 0, 's' }, { "fua", 0, 0, 'f' }, { "torn", 1, 0, 't' },
		{ "seed", 1, 0, 'S' }, { "payload-order", 0, 0, 'p' },
		{ "stop-on-fail", 0, 0, 'x' }, { 0 }
	};
	const char *log_path = NULL, *dev_path = NULL, *mark = "";
	bool started;
	char desc[160];
	uint64_t i;
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'l': log_path = optarg; break;
		case 'd': dev_path = optarg; break;
		case 'r': run_cmd = optarg; break;
		case 's': start_mark = optarg; break;
		case 'f': fua_points = true; break;
		case 't': torn_n = strtoul(optarg, NULL, 0); break;
		case 'S': rng = strtoull(optarg, NULL, 0) * 2654435761ULL + 1; break;
		case 'p': payload_order = true; break;
		case 'x': stop_on_fail = true; break;
		default: usage();
		}
	}
	if (!log_path || !dev_path || !run_cmd || optind != argc)
		usage();
	se_log_open(&lg, log_path);
	if (start_mark && se_log_find_mark(&lg, start_mark) < 0) {
		fprintf(stderr, "se-replay: no mark %s in the log\n", start_mark);
		return 2;
	}
	dev = open(dev_path, O_RDWR | O_DIRECT);
	if (dev < 0)
		die(dev_path);
	started = !start_mark;
	for (i = 0; i < lg.n; i++) {
		const struct se_log_entry *e = &lg.e[i];

		if (e->flags & LOG_MARK) {
			mark = e->mark;
			started |= start_mark && !strcmp(mark, start_mark);
			if (!started)
				continue;
			snprintf(desc, sizeof(desc), "mark %s (entry %" PRIu64 ")", mark, i);
			point(0, desc, mark, next_mark(i));
			if (torn_n)
				torn(i, next_mark(i));
			continue;
		}
		apply(e, NULL);
		if (started && fua_points && (e->flags & LOG_FUA)) {
			snprintf(desc, sizeof(desc), "FUA entry %" PRIu64 " after mark %s", i, mark);
			point(1, desc, mark, next_mark(i));
		}
	}
	printf("se-replay: %" PRIu64 " entries, %" PRIu64 " points (%" PRIu64 " marks, %" PRIu64
	       " FUA, %" PRIu64 " torn), %" PRIu64 " failed, %" PRIu64 " stale blocks not written\n",
	       lg.n, nr_points, nr_kind[0], nr_kind[1], nr_kind[2], nr_failed, nr_stale);
	return nr_failed ? 1 : 0;
}
