// SPDX-License-Identifier: GPL-2.0
/*
 * se-crash: the workload and the model of the crash-consistency tests.
 *
 *   se-crash run --dev MAP --logdm NAME --journal FILE [--size B] [--qd N]
 *                [--writes N] [--fua PCT] [--fua-marks PCT] [--flush-every N]
 *                [--max B] [--seed S]
 *	libaio O_DIRECT writes at queue depth N on the first B bytes of MAP
 *	(a mapping over dm-log-writes NAME).  The region is first filled
 *	(write id 0), flushed and marked "init".  Then writes of 512 B .. max
 *	at random sector offsets (in-flight writes never share a sector, so
 *	every sector's writes are ordered), PCT of them with RWF_DSYNC (FUA);
 *	at random points (after one in N completions) an asynchronous fdatasync
 *	(IOCB_CMD_FDSYNC: an empty flush) while writes stay in flight, and
 *	after each flush completes the dm-log-writes mark "m<k>", placed with
 *	DM_TARGET_MSG before any later write is submitted; also after
 *	--fua-marks PCT of the FUA writes' completions a mark "u<k>" (no
 *	flush).  At the end a last flush and the mark "final".  Every sector written carries its sector
 *	number and write id (se-payload.h).  The journal (FILE) records each
 *	write (id, sector, sectors, FUA, when submitted, when completed) and
 *	each mark (its flush submitted, completed; the mark placed), times
 *	being one sequence of events.
 *
 *   se-crash check --dev DEV --journal FILE --mark NAME [--next NAME]
 *                  [--fua-diag]
 *	DEV (a fresh mapping of a device replayed to mark NAME, or to a torn
 *	point after it: then --next names the mark after) against the model:
 *	  every sector holds its old content (the fresh device's zeroes) or a
 *	  whole payload (nothing never written), of its own sector (nothing
 *	  from a neighbour), by a write that covered it, submitted before the
 *	  point (before NAME, or before --next);
 *	  no sector is older than the last write to it acknowledged before
 *	  the last flush that completed before NAME was submitted (everything
 *	  acknowledged before a completed flush is present, nothing reverts
 *	  after a flush covered it);
 *	  no sector is older than the last FUA write to it acknowledged
 *	  before mark NAME (every FUA write is present after it completed).
 *	The mark dm-log-writes adds when the log is removed
 *	("dm-log-writes-end") is the end of the journal.
 *
 *   se-crash logcheck --log LOG --journal FILE --block B [--fua-diag]
 *	The log itself: every write is whole B-byte blocks; every sector it
 *	carries is a payload of its own sector by a write that covered it;
 *	the first block write carrying data of a FUA write has FUA (for
 *	writes that needed read-modify-write and for aligned ones), and the
 *	data of every FUA write is in the log.
 *
 *   se-crash fs --dir MNT --logdm NAME --journal FILE [--ops N] [--seed S]
 *                [--fsync-every N]
 *	Metadata-heavy load on a mounted file system: small files created,
 *	appended, renamed, unlinked, directories made and removed; every N
 *	operations one file and its directory are fsynced, then the mark
 *	"s<k>" is placed and the file's size and checksum journalled.
 *
 *   se-crash fscheck --dir MNT --journal FILE --mark NAME
 *	After a replay to mark NAME (and journal recovery): the file fsynced
 *	just before NAME exists with the size and checksum it had then.
 *
 * --fua-diag reports violations of the FUA rules as "DIAG" lines without
 * failing (for a control target that does not keep FUA).
 * Exit status: 0 consistent, 1 a rule is violated, 2 usage or I/O error.
 */
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libaio.h>
#include <linux/dm-ioctl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "se-log.h"
#include "se-payload.h"

#define MAX_FLUSHES 4096
#define NO_ID (-1)

struct wr {
	uint64_t sector, sub, comp;
	uint32_t n;
	bool fua;
};

struct fl {		/* a mark, after a flush or not */
	char name[32];
	uint64_t sub, comp, mark;	/* the flush's submission, completion; the mark */
	bool flush;
};

static struct {
	const char *dev, *logdm, *journal, *log, *mark, *next, *dir;
	uint64_t size;
	unsigned int qd, writes, fua_pct, fua_marks, flush_every, max, block, ops;
	uint64_t seed;
	bool fua_diag;
} o = {
	.size = 256 << 10, .qd = 32, .writes = 3000, .fua_pct = 20, .fua_marks = 25,
	.flush_every = 60, .max = 16 << 10, .block = 4096, .ops = 600,
	.seed = 1,
};

static struct wr *W;
static uint64_t nw, region, seq, rng = 1;
static struct fl F[MAX_FLUSHES];
static unsigned int nf;
static FILE *jf;

static void die(const char *what)
{
	perror(what);
	exit(2);
}

static void fail_usage(const char *msg)
{
	fprintf(stderr, "se-crash: %s (see the comment at the top of se-crash.c)\n", msg);
	exit(2);
}

static uint64_t rnd_below(uint64_t n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return n ? (rng * 2685821657736338717ULL) % n : 0;
}

static void *xalloc(size_t len, bool align)
{
	void *p = NULL;

	if (align ? posix_memalign(&p, 4096, len) : !(p = calloc(1, len)))
		die("alloc");
	return p;
}

/* The dm-log-writes mark @name on the device @dm, by DM_TARGET_MSG. */
static void dm_mark(const char *dm, const char *name)
{
	static int ctl = -1;
	union {
		struct dm_ioctl io;
		char b[sizeof(struct dm_ioctl) + sizeof(struct dm_target_msg) + 96];
	} u;
	struct dm_target_msg *m = (void *)(u.b + sizeof(struct dm_ioctl));

	if (ctl < 0 && (ctl = open("/dev/mapper/control", O_RDWR)) < 0)
		die("/dev/mapper/control");
	memset(&u, 0, sizeof(u));
	u.io.version[0] = DM_VERSION_MAJOR;	/* any 4.x kernel has messages */
	u.io.data_size = sizeof(u);
	u.io.data_start = sizeof(struct dm_ioctl);
	snprintf(u.io.name, sizeof(u.io.name), "%s", dm);
	snprintf(m->message, 96, "mark %s", name);
	if (ioctl(ctl, DM_TARGET_MSG, &u.io))
		die("dm message mark");
}

static struct fl *new_flush(const char *fmt, unsigned int k)
{
	struct fl *f;

	if (nf == MAX_FLUSHES)
		fail_usage("too many flushes");
	f = &F[nf++];
	snprintf(f->name, sizeof(f->name), fmt, k);
	f->flush = true;
	return f;
}

/* After a flush completed: its mark, before anything else is submitted. */
static void flush_done(struct fl *f)
{
	f->comp = ++seq;
	dm_mark(o.logdm, f->name);
	f->mark = ++seq;
}

static void open_journal(void)
{
	jf = fopen(o.journal, "w");
	if (!jf)
		die(o.journal);
}

static void close_journal(void)
{
	unsigned int i;

	for (i = 0; i < nf; i++)
		fprintf(jf, "%c %s %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", F[i].flush ? 'F' : 'M',
			F[i].name, F[i].sub, F[i].comp, F[i].mark);
	if (fclose(jf))
		die(o.journal);
}

/* ---- run ---------------------------------------------------------- */

struct slot {
	struct iocb cb;
	unsigned char *buf;
	uint64_t id;
	bool busy;
};

static uint8_t *busy;	/* in-flight writes per sector */

static void fill(unsigned char *buf, uint64_t sector, uint64_t n, uint64_t id)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		pl_fill(buf + i * PL_SECTOR, sector + i, id);
}

/* Pick a write no in-flight write overlaps; false if none was found. */
static bool pick(struct wr *w)
{
	unsigned int bs = o.block / PL_SECTOR, t, i;
	uint64_t n, s;

	for (t = 0; t < 16; t++) {
		if (rnd_below(100) < 15) {	/* aligned whole blocks */
			n = bs * (1 + rnd_below(o.max / o.block));
			s = rnd_below(region / bs - n / bs + 1) * bs;
		} else {
			n = 1 + rnd_below(rnd_below(100) < 60 ? bs : o.max / PL_SECTOR);
			s = rnd_below(region - n + 1);
		}
		for (i = 0; i < n && !busy[s + i]; i++)
			;
		if (i == n) {
			w->sector = s;
			w->n = n;
			w->fua = rnd_below(100) < o.fua_pct;
			return true;
		}
	}
	return false;
}

static void submit(io_context_t ctx, struct iocb *cb)
{
	struct iocb *cbs[1] = { cb };

	if (io_submit(ctx, 1, cbs) != 1)
		die("io_submit");
}

static void cmd_run(void)
{
	struct slot *sl = xalloc((o.qd + 1) * sizeof(*sl), false);
	struct iocb fcb;
	struct io_event *ev = xalloc((o.qd + 1) * sizeof(*ev), false);
	io_context_t ctx = 0;
	unsigned int inflight = 0, i, k = 0, ku = 0;
	struct fl *fin = NULL;	/* the flush in flight */
	bool ending = false, want_flush = false;
	unsigned char *big;
	uint64_t id = 1;
	int fd, n, j;

	if (!o.dev || !o.logdm || !o.journal)
		fail_usage("run needs --dev, --logdm and --journal");
	fd = open(o.dev, O_RDWR | O_DIRECT);
	if (fd < 0)
		die(o.dev);
	region = o.size / PL_SECTOR;
	W = xalloc((o.writes + 1) * sizeof(*W), false);
	busy = xalloc(region, false);
	for (i = 0; i <= o.qd; i++)
		sl[i].buf = xalloc(o.max, true);
	if (io_setup(o.qd + 1, &ctx))
		die("io_setup");
	open_journal();

	/* Write 0 fills the region; flush "init" covers it. */
	big = xalloc(o.size, true);
	fill(big, 0, region, 0);
	W[0] = (struct wr){ .sector = 0, .n = region, .sub = ++seq };
	if (pwrite(fd, big, o.size, 0) != (ssize_t)o.size)
		die("initial fill");
	W[0].comp = ++seq;
	fin = new_flush("init", 0);
	fin->sub = ++seq;
	if (fdatasync(fd))
		die("fdatasync");
	flush_done(fin);
	fin = NULL;
	nw = 1;

	for (;;) {
		while (!ending && inflight < o.qd && id <= o.writes) {
			struct slot *s;
			struct wr *w = &W[id];

			if (!pick(w))
				break;
			for (s = sl; s->busy; s++)
				;
			s->busy = true;
			s->id = id;
			fill(s->buf, w->sector, w->n, id);
			io_prep_pwrite(&s->cb, fd, s->buf, w->n * PL_SECTOR, w->sector * PL_SECTOR);
			s->cb.aio_rw_flags = w->fua ? RWF_DSYNC : 0;
			s->cb.data = s;
			memset(busy + w->sector, 1, w->n);
			w->sub = ++seq;
			submit(ctx, &s->cb);
			inflight++;
			id++;
			nw = id;
		}
		if (!ending && id > o.writes)
			ending = true;
		if (!fin && (ending ? !inflight : want_flush)) {
			want_flush = false;
			fin = ending ? new_flush("final", 0) : new_flush("m%u", ++k);
			io_prep_fdsync(&fcb, fd);
			fcb.data = NULL;
			fin->sub = ++seq;
			submit(ctx, &fcb);
			if (ending) {
				/* the final flush is the last thing done */
				n = io_getevents(ctx, 1, 1, ev, NULL);
				if (n != 1 || ev[0].res)
					die("final fdatasync");
				flush_done(fin);
				break;
			}
		}
		if (!inflight && !fin)
			continue;
		n = io_getevents(ctx, 1, o.qd + 1, ev, NULL);
		if (n < 0) {
			errno = -n;
			die("io_getevents");
		}
		for (j = 0; j < n; j++) {
			struct slot *s = ev[j].data;
			struct wr *w;

			if (!s) {
				if (ev[j].res)
					fail_usage("fdatasync failed");
				flush_done(fin);
				fin = NULL;
				continue;
			}
			w = &W[s->id];
			if (ev[j].res != w->n * PL_SECTOR) {
				fprintf(stderr, "se-crash: write %" PRIu64 " failed: %ld\n",
					s->id, (long)ev[j].res);
				exit(2);
			}
			w->comp = ++seq;
			want_flush |= !rnd_below(o.flush_every);
			memset(busy + w->sector, 0, w->n);
			s->busy = false;
			inflight--;
			if (w->fua && rnd_below(100) < o.fua_marks) {
				struct fl *m = new_flush("u%u", ++ku);

				m->flush = false;
				dm_mark(o.logdm, m->name);
				m->mark = ++seq;
			}
		}
	}
	fprintf(jf, "region %" PRIu64 "\n", region);
	for (i = 0; i < nw; i++)
		fprintf(jf, "W %u %" PRIu64 " %u %d %" PRIu64 " %" PRIu64 "\n", i,
			W[i].sector, W[i].n, W[i].fua, W[i].sub, W[i].comp);
	close_journal();
	printf("se-crash: %" PRIu64 " writes, %u flushes and marks on %" PRIu64 " sectors\n",
	       nw - 1, nf, region);
}

/* ---- the journal and the model ----------------------------------- */

static void load_journal(void)
{
	FILE *f = fopen(o.journal, "r");
	char line[512];
	unsigned int fua, n;
	uint64_t id, cap = 0;
	struct fl *fl;
	struct wr w;

	if (!f)
		die(o.journal);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "region %" SCNu64, &region) == 1)
			continue;
		if (sscanf(line, "W %" SCNu64 " %" SCNu64 " %u %u %" SCNu64 " %" SCNu64,
			   &id, &w.sector, &n, &fua, &w.sub, &w.comp) == 6) {
			if (id != nw)
				fail_usage("journal: writes out of order");
			if (nw == cap) {
				cap = cap ? cap * 2 : 1024;
				W = realloc(W, cap * sizeof(*W));
				if (!W)
					die("realloc");
			}
			w.n = n;
			w.fua = fua;
			W[nw++] = w;
			continue;
		}
		if ((line[0] == 'F' || line[0] == 'M') && nf < MAX_FLUSHES) {
			fl = &F[nf];
			fl->flush = line[0] == 'F';
			if (sscanf(line + 1, "%31s %" SCNu64 " %" SCNu64 " %" SCNu64,
				   fl->name, &fl->sub, &fl->comp, &fl->mark) == 4)
				nf++;
		}
	}
	fclose(f);
}

/* The flush whose mark is @name; the last one for the end of the log. */
static const struct fl *find_flush(const char *name, bool *end)
{
	unsigned int i;

	*end = !strcmp(name, "dm-log-writes-end") || !*name;
	if (*end && nf)
		return &F[nf - 1];
	for (i = 0; i < nf; i++)
		if (!strcmp(F[i].name, name))
			return &F[i];
	fprintf(stderr, "se-crash: mark '%s' is not in the journal\n", name);
	exit(2);
}

static bool covers(uint64_t id, uint64_t s)
{
	return id < nw && s >= W[id].sector && s < W[id].sector + W[id].n;
}

enum { V_FOREIGN, V_MISPLACED, V_UNWRITTEN, V_FUTURE, V_FLUSHED, V_FUA, V_PARTIAL, V_NR };
static const char *const vname[V_NR] = {
	"never written", "from another sector", "by a write not to this sector",
	"written after the point", "older than a flush covered", "older than a completed FUA write",
	"partial-block log entries",
};
static uint64_t viol[V_NR];

static void violation(int v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void violation(int v, const char *fmt, ...)
{
	static unsigned int shown;
	va_list ap;

	viol[v]++;
	if (shown++ >= 12)
		return;
	printf("%s ", v == V_FUA && o.fua_diag ? "DIAG" : "VIOLATION");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

/* Summary line; the exit status of check and logcheck. */
static int report(const char *what)
{
	bool bad = false;
	int v;

	printf("%s:", what);
	for (v = 0; v < V_NR; v++) {
		if (!viol[v])
			continue;
		printf(" %" PRIu64 " %s;", viol[v], vname[v]);
		bad |= v != V_FUA || !o.fua_diag;
	}
	printf("%s\n", bad ? " FAILED" : " consistent");
	if (viol[V_FUA] && o.fua_diag)
		printf("DIAG %s: %" PRIu64 " FUA violations (reported, not failed)\n",
		       what, viol[V_FUA]);
	return bad;
}

/* The old content of a sector: the fresh device's zeroes. */
static bool zero(const unsigned char *p)
{
	unsigned int i;

	for (i = 0; i < PL_SECTOR && !p[i]; i++)
		;
	return i == PL_SECTOR;
}

static void read_region(unsigned char *buf)
{
	int fd = open(o.dev, O_RDONLY | O_DIRECT);

	if (fd < 0)
		die(o.dev);
	if (pread(fd, buf, region * PL_SECTOR, 0) != (ssize_t)(region * PL_SECTOR))
		die("read of the replayed device");
	close(fd);
}

static int cmd_check(void)
{
	const struct fl *f, *nx;
	int64_t *rf, *rq;
	unsigned char *buf;
	struct pl_head h;
	uint64_t limit, i, s, tf = 0;
	const char *fname = "none";
	char what[128];
	bool end, nend;

	if (!o.dev || !o.journal || !o.mark)
		fail_usage("check needs --dev, --journal and --mark");
	load_journal();
	f = find_flush(o.mark, &end);
	limit = end ? UINT64_MAX : f->mark;
	if (o.next) {
		nx = find_flush(o.next, &nend);
		limit = nend ? UINT64_MAX : nx->mark;
	}
	/* the last flush completed before the point: what it covers */
	for (i = 0; i < nf; i++)
		if (F[i].flush && F[i].comp < f->mark && F[i].sub >= tf) {
			tf = F[i].sub;
			fname = F[i].name;
		}
	rf = xalloc(region * sizeof(*rf), false);
	rq = xalloc(region * sizeof(*rq), false);
	for (s = 0; s < region; s++)
		rf[s] = rq[s] = NO_ID;
	for (i = 0; i < nw; i++)
		for (s = W[i].sector; s < W[i].sector + W[i].n; s++) {
			if (W[i].comp < tf)
				rf[s] = i;
			if (W[i].fua && W[i].comp < f->mark)
				rq[s] = i;
		}
	buf = xalloc(region * PL_SECTOR, true);
	read_region(buf);
	for (s = 0; s < region; s++) {
		if (!pl_parse(buf + s * PL_SECTOR, &h)) {
			if (!zero(buf + s * PL_SECTOR))
				violation(V_FOREIGN, "sector %" PRIu64 ": no payload (%016" PRIx64 ")",
					  s, h.magic);
			else if (rf[s] != NO_ID)
				violation(V_FLUSHED, "sector %" PRIu64 ": zeroes, not write %" PRId64
					  " acknowledged before flush %s", s, rf[s], fname);
			else if (rq[s] != NO_ID)
				violation(V_FUA, "sector %" PRIu64 ": zeroes, not FUA write %" PRId64
					  " completed before mark %s", s, rq[s], f->name);
			continue;
		}
		if (h.sector != s) {
			violation(V_MISPLACED, "sector %" PRIu64 ": holds write %" PRIu64 " of sector %" PRIu64,
				  s, h.id, h.sector);
			continue;
		}
		if (!covers(h.id, s)) {
			violation(V_UNWRITTEN, "sector %" PRIu64 ": write %" PRIu64 " never wrote it", s, h.id);
			continue;
		}
		if (W[h.id].sub > limit)
			violation(V_FUTURE, "sector %" PRIu64 ": write %" PRIu64 " was submitted after the point",
				  s, h.id);
		if ((int64_t)h.id < rf[s])
			violation(V_FLUSHED, "sector %" PRIu64 ": write %" PRIu64 ", not write %" PRId64
				  " acknowledged before flush %s", s, h.id, rf[s], fname);
		else if ((int64_t)h.id < rq[s])
			violation(V_FUA, "sector %" PRIu64 ": write %" PRIu64 ", not FUA write %" PRId64
				  " completed before mark %s", s, h.id, rq[s], f->name);
	}
	snprintf(what, sizeof(what), "check %s%s%s", o.mark, o.next ? " torn before " : "",
		 o.next ? (*o.next ? o.next : "the end") : "");
	return report(what);
}

static int cmd_logcheck(void)
{
	uint64_t i, s, bs = o.block / PL_SECTOR, nfua = 0, nrmw = 0, found = 0;
	int64_t *seen;
	uint8_t *seenw;	/* per write: 1 its data was logged, 2 first without FUA */
	unsigned char *buf = NULL;
	struct se_log lg;
	struct pl_head h;
	size_t len = 0;

	if (!o.log || !o.journal)
		fail_usage("logcheck needs --log and --journal");
	load_journal();
	se_log_open(&lg, o.log);
	seen = xalloc(region * sizeof(*seen), false);
	seenw = xalloc(nw + 1, false);
	for (s = 0; s < region; s++)
		seen[s] = NO_ID;
	for (i = 0; i < lg.n; i++) {
		const struct se_log_entry *e = &lg.e[i];

		if (!se_log_is_data(e))
			continue;
		if (e->sector % bs || e->nr % bs)
			violation(V_PARTIAL, "log entry %" PRIu64 ": sectors %" PRIu64 "+%" PRIu64
				  " are not whole %u-byte blocks", i, e->sector, e->nr, o.block);
		if (e->nr * PL_SECTOR > len) {
			free(buf);
			len = e->nr * PL_SECTOR;
			buf = xalloc(len, false);
		}
		se_log_data(&lg, e, buf);
		for (s = e->sector; s < e->sector + e->nr && s < region; s++) {
			if (!pl_parse(buf + (s - e->sector) * PL_SECTOR, &h))
				continue;
			if (h.sector != s) {
				violation(V_MISPLACED, "log entry %" PRIu64 ": sector %" PRIu64
					  " carries write %" PRIu64 " of sector %" PRIu64, i, s, h.id, h.sector);
				continue;
			}
			if (!covers(h.id, s)) {
				violation(V_UNWRITTEN, "log entry %" PRIu64 ": sector %" PRIu64
					  " carries write %" PRIu64 ", which never wrote it", i, s, h.id);
				continue;
			}
			if ((int64_t)h.id <= seen[s])
				continue;
			seen[s] = h.id;	/* the first block write with this data */
			seenw[h.id] |= 1;
			if (W[h.id].fua && !(e->flags & LOG_FUA))
				seenw[h.id] |= 2;
		}
	}
	for (i = 1; i < nw; i++) {
		bool rmw = W[i].sector % bs || (W[i].sector + W[i].n) % bs;

		if (!W[i].fua)
			continue;
		nfua++;
		nrmw += rmw;
		found += seenw[i] & 1;
		if (seenw[i] != 1)
			violation(V_FUA, "FUA write %" PRIu64 " (sectors %" PRIu64 "+%u, %s): %s", i,
				  W[i].sector, W[i].n, rmw ? "read-modify-write" : "aligned",
				  seenw[i] ? "its block write has no FUA" :
				  "its data is not in the log before later data of its sectors");
	}
	printf("logcheck: %" PRIu64 " log entries; %" PRIu64 " FUA writes (%" PRIu64
	       " needing read-modify-write), %" PRIu64 " found in the log\n", lg.n, nfua, nrmw, found);
	return report("logcheck");
}

/* ---- file system load -------------------------------------------- */

#define MAX_FILES 256

static char files[MAX_FILES][64];
static unsigned int nfiles, ndirs = 4, serial;

static uint64_t fnv(int fd, uint64_t *size)
{
	unsigned char b[4096];
	uint64_t h = 1469598103934665603ULL;
	ssize_t r, i;

	*size = 0;
	while ((r = read(fd, b, sizeof(b))) > 0) {
		for (i = 0; i < r; i++)
			h = (h ^ b[i]) * 1099511628211ULL;
		*size += r;
	}
	if (r < 0)
		die("read");
	return h;
}

static void write_some(const char *path, int flags)
{
	char b[8192];
	unsigned int len = 64 + rnd_below(sizeof(b) - 64), i;
	int fd = open(path, O_WRONLY | O_CREAT | flags, 0644);

	if (fd < 0)
		die(path);
	for (i = 0; i < len; i++)
		b[i] = "0123456789abcdef"[(serial + i) & 15];
	serial++;
	if (write(fd, b, len) != (ssize_t)len)
		die("write");
	close(fd);
}

static void fsync_path(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0 || fsync(fd))
		die(path);
	close(fd);
}

static void cmd_fs(void)
{
	unsigned int op, k = 0, i;
	char path[64], to[64];

	if (!o.dir || !o.logdm || !o.journal)
		fail_usage("fs needs --dir, --logdm and --journal");
	if (chdir(o.dir))
		die(o.dir);
	open_journal();
	for (i = 0; i < ndirs; i++) {
		snprintf(path, sizeof(path), "d%u", i);
		if (mkdir(path, 0755))
			die(path);
	}
	for (op = 0; op < o.ops; op++) {
		unsigned int r = rnd_below(100), f = nfiles ? rnd_below(nfiles) : 0;

		if (r < 40 || nfiles < 4) {
			if (nfiles == MAX_FILES)
				continue;
			snprintf(files[nfiles], sizeof(files[0]), "d%u/f%u", (unsigned int)rnd_below(ndirs),
				 serial);
			write_some(files[nfiles++], O_TRUNC);
		} else if (r < 55) {
			write_some(files[f], O_APPEND);
		} else if (r < 70) {
			snprintf(to, sizeof(to), "d%u/r%u", (unsigned int)rnd_below(ndirs), serial++);
			if (rename(files[f], to))
				die("rename");
			strcpy(files[f], to);
		} else if (r < 85) {
			if (unlink(files[f]))
				die("unlink");
			memcpy(files[f], files[--nfiles], sizeof(files[0]));
		} else if (r < 90 && ndirs < 32) {
			snprintf(path, sizeof(path), "d%u", ndirs++);
			if (mkdir(path, 0755))
				die(path);
		} else {
			snprintf(path, sizeof(path), "d%u/t%u", (unsigned int)rnd_below(ndirs), serial++);
			if (mkdir(path, 0755) || symlink(path, "link") || unlink("link") || rmdir(path))
				die("mkdir/symlink/rmdir");
		}
		if (op % o.flush_every == o.flush_every - 1 && nfiles) {
			struct fl *fs = new_flush("s%u", ++k);
			uint64_t size, sum;
			int fd;

			f = rnd_below(nfiles);
			strcpy(path, files[f]);
			*strchr(path, '/') = 0;
			fs->sub = ++seq;
			fsync_path(files[f], O_RDONLY);
			fsync_path(path, O_RDONLY | O_DIRECTORY);
			flush_done(fs);
			fd = open(files[f], O_RDONLY);
			if (fd < 0)
				die(files[f]);
			sum = fnv(fd, &size);
			close(fd);
			fprintf(jf, "S %s %s %" PRIu64 " %016" PRIx64 "\n", fs->name, files[f], size, sum);
		}
	}
	close_journal();
	printf("se-crash fs: %u operations, %u fsync marks, %u files\n", o.ops, k, nfiles);
}

static int cmd_fscheck(void)
{
	char line[512], name[64], path[128];
	uint64_t size, sum, got_size, got;
	FILE *f;
	int fd;

	if (!o.dir || !o.journal || !o.mark)
		fail_usage("fscheck needs --dir, --journal and --mark");
	f = fopen(o.journal, "r");
	if (!f)
		die(o.journal);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "S %63s %127s %" SCNu64 " %" SCNx64, name, path, &size, &sum) != 4 ||
		    strcmp(name, o.mark))
			continue;
		if (chdir(o.dir))
			die(o.dir);
		fd = open(path, O_RDONLY);
		if (fd < 0) {
			printf("fscheck %s: %s, fsynced before the mark, is missing: %s\n",
			       o.mark, path, strerror(errno));
			return 1;
		}
		got = fnv(fd, &got_size);
		if (got != sum || got_size != size) {
			printf("fscheck %s: %s has %" PRIu64 " bytes (checksum %016" PRIx64 "), fsynced with %"
			       PRIu64 " (%016" PRIx64 ")\n", o.mark, path, got_size, got, size, sum);
			return 1;
		}
		return 0;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "dev", 1, 0, 'd' }, { "logdm", 1, 0, 'L' }, { "journal", 1, 0, 'j' },
		{ "size", 1, 0, 's' }, { "qd", 1, 0, 'q' }, { "writes", 1, 0, 'w' },
		{ "fua", 1, 0, 'u' }, { "flush-every", 1, 0, 'F' }, { "fsync-every", 1, 0, 'F' },
		{ "max", 1, 0, 'M' }, { "seed", 1, 0, 'S' }, { "log", 1, 0, 'l' },
		{ "block", 1, 0, 'b' }, { "mark", 1, 0, 'm' }, { "next", 1, 0, 'n' },
		{ "fua-marks", 1, 0, 'K' }, { "fua-diag", 0, 0, 'D' }, { "dir", 1, 0, 'R' }, { "ops", 1, 0, 'o' },
		{ 0 }
	};
	const char *cmd;
	int c;

	if (argc < 2)
		fail_usage("no command");
	cmd = argv[1];
	optind = 2;
	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'd': o.dev = optarg; break;
		case 'L': o.logdm = optarg; break;
		case 'j': o.journal = optarg; break;
		case 's': o.size = strtoull(optarg, NULL, 0); break;
		case 'q': o.qd = strtoul(optarg, NULL, 0); break;
		case 'w': o.writes = strtoul(optarg, NULL, 0); break;
		case 'u': o.fua_pct = strtoul(optarg, NULL, 0); break;
		case 'F': o.flush_every = strtoul(optarg, NULL, 0); break;
		case 'M': o.max = strtoul(optarg, NULL, 0); break;
		case 'S': o.seed = strtoull(optarg, NULL, 0); break;
		case 'l': o.log = optarg; break;
		case 'b': o.block = strtoul(optarg, NULL, 0); break;
		case 'm': o.mark = optarg; break;
		case 'n': o.next = optarg; break;
		case 'K': o.fua_marks = strtoul(optarg, NULL, 0); break;
		case 'D': o.fua_diag = true; break;
		case 'R': o.dir = optarg; break;
		case 'o': o.ops = strtoul(optarg, NULL, 0); break;
		default: fail_usage("unknown option");
		}
	}
	if (optind != argc)
		fail_usage("stray arguments");
	if (!o.qd || !o.flush_every || o.block < 4096 || o.block % 4096 || o.max < o.block ||
	    o.max % o.block || o.size % o.block || o.size < 2 * o.max)
		fail_usage("bad sizes");
	rng = o.seed * 0x9E3779B97F4A7C15ULL + 1;
	if (!strcmp(cmd, "run"))
		cmd_run();
	else if (!strcmp(cmd, "check"))
		return cmd_check();
	else if (!strcmp(cmd, "logcheck"))
		return cmd_logcheck();
	else if (!strcmp(cmd, "fs"))
		cmd_fs();
	else if (!strcmp(cmd, "fscheck"))
		return cmd_fscheck();
	else
		fail_usage("unknown command");
	return 0;
}
