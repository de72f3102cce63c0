// SPDX-License-Identifier: GPL-2.0
/*
 * se-stress: data-integrity stress test for a block device.
 *
 * Keeps an in-memory model of the device (which write last touched each
 * 512-byte sector) and drives it with libaio O_DIRECT I/O at a fixed queue
 * depth: random sizes and random aligned offsets, many small writes aimed at
 * a few "hot" blocks so that concurrent writes land on different sectors of
 * the same underlying block.  In-flight I/Os never overlap at sector
 * granularity when one of them is a write, so the expected content of every
 * sector is exact.  Every read is verified against the model, and at the end
 * the whole region is read back and verified.
 *
 * Each sector written carries (magic, sector, write id) and a fill derived
 * from them, so a mismatch says whose data was found where.
 *
 * With --discard and --zeroes a second thread issues BLKDISCARD and
 * BLKZEROOUT on ranges that start and end at any sector of the hot blocks,
 * concurrently with the partial writes on their other sectors.  The model:
 * write-zeroes makes its sectors read as zeroes; a discard leaves the
 * sectors of the blocks it covers only in part exactly as they were, and
 * the sectors of the blocks it covers whole read either as before or as
 * zeroes (the device decides), until the next write of the sector.
 *
 * Exit status: 0 verified, 1 data mismatch, 2 usage or I/O error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libaio.h>
#include <linux/fs.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SECTOR 512
#define MAGIC 0x5345535452455353ULL	/* "SESTRESS" */

struct opts {
	const char *dev;
	uint64_t size;		/* bytes of the device to use */
	unsigned int qd;
	unsigned int min, max;	/* I/O size range, bytes */
	unsigned int align;	/* offset and size granularity, bytes */
	unsigned int block;	/* underlying block size the hot set aims at */
	unsigned int hot_pct;	/* share of small writes aimed at hot blocks */
	unsigned int read_pct;
	unsigned int seconds;
	uint64_t seed;
	bool misalign;		/* buffers 512-aligned only, not page-aligned */
	bool no_init;
	bool discard, zeroes;	/* race BLKDISCARD / BLKZEROOUT (see above) */
};

struct slot {
	struct iocb iocb;
	unsigned char *buf, *base;
	uint64_t off;
	unsigned int len;
	bool write;
	bool busy;
};

static struct opts o = {
	.size = 64ULL << 20, .qd = 64, .min = 512, .max = 128 << 10,
	.align = 512, .block = 4096, .hot_pct = 50, .read_pct = 30,
	.seconds = 20, .seed = 1,
};
/* The model's id of a sector that write-zeroes zeroed. */
#define ZEROED UINT64_MAX

static uint64_t *model;		/* write id per sector, 0 = initial fill */
static bool *maybe_zero;	/* discarded: model[] or zeroes */
static uint16_t *writers, *readers;	/* in-flight I/Os per sector */
static uint64_t next_id = 1, rng;
static uint64_t nr_reads, nr_writes, nr_mismatch, bytes_done;
static uint64_t nr_discards, nr_zeroes;

/* The one discard or write-zeroes in flight, run by extent_thread(). */
static struct extent_op {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int fd;
	bool zeroes;
	uint64_t range[2];	/* BLKDISCARD / BLKZEROOUT argument */
	bool queued, quit;
	atomic_bool done;	/* set by the thread, with err */
	int err;
	bool busy;		/* owned by the main thread */
} xop = { .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER };

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static uint64_t rnd_below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static void fill_sector(unsigned char *p, uint64_t sector, uint64_t id)
{
	uint64_t x = (sector * 0x9E3779B97F4A7C15ULL) ^ (id * 0xC2B2AE3D27D4EB4FULL) ^ MAGIC;
	uint64_t *w = (uint64_t *)p;
	unsigned int i;

	w[0] = MAGIC;
	w[1] = sector;
	w[2] = id;
	for (i = 3; i < SECTOR / 8; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		w[i] = x;
	}
}

static bool check_sector(const unsigned char *p, uint64_t sector, const char *what)
{
	static unsigned char want[SECTOR];
	const uint64_t *w = (const uint64_t *)p;

	static const unsigned char zero[SECTOR];

	if (model[sector] == ZEROED || maybe_zero[sector]) {
		if (!memcmp(p, zero, SECTOR))
			return true;
	}
	if (model[sector] != ZEROED) {
		fill_sector(want, sector, model[sector]);
		if (!memcmp(p, want, SECTOR))
			return true;
	}
	nr_mismatch++;
	if (nr_mismatch <= 20) {
		if (model[sector] == ZEROED)
			fprintf(stderr, "MISMATCH (%s) sector %" PRIu64 ": expected zeroes, found %s\n",
				what, sector, w[0] == MAGIC ? "a write" : "foreign data");
		else if (w[0] == MAGIC)
			fprintf(stderr, "MISMATCH (%s) sector %" PRIu64 " (byte %" PRIu64 "): expected write %" PRIu64
				", found write %" PRIu64 " of sector %" PRIu64 "%s\n",
				what, sector, sector * SECTOR, model[sector], w[2], w[1],
				w[1] == sector && w[2] < model[sector] ? " (lost update)" : "");
		else
			fprintf(stderr, "MISMATCH (%s) sector %" PRIu64 ": expected write %" PRIu64
				", found foreign data %016" PRIx64 "\n", what, sector, model[sector], w[0]);
	}
	return false;
}

static void die(const char *msg)
{
	perror(msg);
	exit(2);
}

static void usage(void)
{
	fprintf(stderr,
		"usage: se-stress --dev PATH [--size BYTES] [--qd N] [--min B] [--max B]\n"
		"       [--align B] [--block B] [--hot PCT] [--read PCT] [--seconds N]\n"
		"       [--seed N] [--misalign] [--no-init] [--discard] [--zeroes]\n");
	exit(2);
}

static void parse(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "dev", 1, 0, 'd' }, { "size", 1, 0, 's' }, { "qd", 1, 0, 'q' },
		{ "min", 1, 0, 'm' }, { "max", 1, 0, 'M' }, { "align", 1, 0, 'a' },
		{ "block", 1, 0, 'b' }, { "hot", 1, 0, 'h' }, { "read", 1, 0, 'r' },
		{ "seconds", 1, 0, 't' }, { "seed", 1, 0, 'S' },
		{ "misalign", 0, 0, 'u' }, { "no-init", 0, 0, 'n' },
		{ "discard", 0, 0, 'D' }, { "zeroes", 0, 0, 'Z' }, { 0 }
	};
	int c;

	while ((c = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (c) {
		case 'd': o.dev = optarg; break;
		case 's': o.size = strtoull(optarg, NULL, 0); break;
		case 'q': o.qd = strtoul(optarg, NULL, 0); break;
		case 'm': o.min = strtoul(optarg, NULL, 0); break;
		case 'M': o.max = strtoul(optarg, NULL, 0); break;
		case 'a': o.align = strtoul(optarg, NULL, 0); break;
		case 'b': o.block = strtoul(optarg, NULL, 0); break;
		case 'h': o.hot_pct = strtoul(optarg, NULL, 0); break;
		case 'r': o.read_pct = strtoul(optarg, NULL, 0); break;
		case 't': o.seconds = strtoul(optarg, NULL, 0); break;
		case 'S': o.seed = strtoull(optarg, NULL, 0); break;
		case 'u': o.misalign = true; break;
		case 'n': o.no_init = true; break;
		case 'D': o.discard = true; break;
		case 'Z': o.zeroes = true; break;
		default: usage();
		}
	}
	if (!o.dev || !o.qd || o.qd > 1024 || !o.align || o.align % SECTOR ||
	    o.min < o.align || o.max < o.min || o.min % o.align || o.max % o.align ||
	    o.block % o.align || o.size < 2ULL * o.max || o.size % o.block)
		usage();
}

/* No I/O in flight touches @n sectors from @first (any, if @write). */
static bool range_free(uint64_t first, uint64_t n, bool write)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		if (writers[first + i] || (write && readers[first + i]))
			return false;
	return true;
}

/* Pick a free range for a new I/O; false if the tries ran out. */
static bool pick(struct slot *s)
{
	uint64_t first, n;
	unsigned int tries;

	for (tries = 0; tries < 64; tries++) {
		s->write = rnd_below(100) >= o.read_pct;
		if (s->write && rnd_below(100) < o.hot_pct) {
			/* A few sectors inside one of 16 hot blocks. */
			uint64_t blk = rnd_below(16) * (o.size / o.block / 16);
			unsigned int per = o.block / o.align;

			s->off = blk * o.block + rnd_below(per) * o.align;
			s->len = o.align * (1 + rnd_below(per - s->off % o.block / o.align));
			if (s->len == o.block && per > 1)
				s->len -= o.align;
		} else {
			unsigned int steps = (o.max - o.min) / o.align + 1;

			/* Small sizes are most interesting: square the draw. */
			uint64_t r = rnd_below(steps);

			s->len = o.min + (r * r / steps) * o.align;
			s->off = rnd_below((o.size - s->len) / o.align + 1) * o.align;
		}
		first = s->off / SECTOR;
		n = s->len / SECTOR;
		if (range_free(first, n, s->write))
			return true;
	}
	return false;
}

static void submit(int fd, struct slot *s)
{
	uint64_t first = s->off / SECTOR, n = s->len / SECTOR, i;
	struct iocb *cb = &s->iocb;

	for (i = 0; i < n; i++) {
		if (s->write) {
			model[first + i] = next_id;
			fill_sector(s->buf + i * SECTOR, first + i, next_id);
			writers[first + i]++;
		} else {
			readers[first + i]++;
		}
	}
	if (s->write) {
		next_id++;
		io_prep_pwrite(cb, fd, s->buf, s->len, s->off);
	} else {
		io_prep_pread(cb, fd, s->buf, s->len, s->off);
	}
	cb->data = s;
	s->busy = true;
}

static void complete(struct slot *s, long res)
{
	uint64_t first = s->off / SECTOR, n = s->len / SECTOR, i;

	if (res != (long)s->len) {
		fprintf(stderr, "I/O error: %s %u bytes at %" PRIu64 ": %s\n",
			s->write ? "write" : "read", s->len, s->off,
			res < 0 ? strerror((int)-res) : "short transfer");
		exit(2);
	}
	for (i = 0; i < n; i++) {
		if (s->write) {
			writers[first + i]--;
		} else {
			check_sector(s->buf + i * SECTOR, first + i, "read");
			readers[first + i]--;
		}
	}
	s->write ? nr_writes++ : nr_reads++;
	bytes_done += s->len;
	s->busy = false;
}

static void *extent_thread(void *arg)
{
	struct extent_op *x = arg;

	pthread_mutex_lock(&x->lock);
	for (;;) {
		while (!x->queued && !x->quit)
			pthread_cond_wait(&x->cond, &x->lock);
		if (x->quit)
			break;
		x->queued = false;
		pthread_mutex_unlock(&x->lock);
		x->err = ioctl(x->fd, x->zeroes ? BLKZEROOUT : BLKDISCARD, x->range) ? errno : 0;
		atomic_store(&x->done, true);
		pthread_mutex_lock(&x->lock);
	}
	pthread_mutex_unlock(&x->lock);
	return NULL;
}

/*
 * Start a discard or write-zeroes of 1 sector .. 3 blocks from a random
 * sector of a hot block, if no I/O in flight touches its range.  The model
 * changes now, as for a write: no read of the range runs until it is done.
 */
static void extent_start(void)
{
	uint64_t blk = rnd_below(16) * (o.size / o.block / 16);
	uint64_t off = blk * o.block + rnd_below(o.block / SECTOR) * SECTOR;
	uint64_t len = SECTOR * (1 + rnd_below(3 * o.block / SECTOR));
	uint64_t first = off / SECTOR, n, i, whole_first, whole_end;
	bool zeroes = o.zeroes && (!o.discard || rnd_below(2));

	if (off + len > o.size)
		len = o.size - off;
	n = len / SECTOR;
	if (!range_free(first, n, true))
		return;
	whole_first = (off + o.block - 1) / o.block * o.block / SECTOR;
	whole_end = (off + len) / o.block * o.block / SECTOR;
	for (i = first; i < first + n; i++) {
		writers[i]++;
		if (zeroes) {
			model[i] = ZEROED;
			maybe_zero[i] = false;
		} else if (i >= whole_first && i < whole_end) {
			maybe_zero[i] = true;
		}
	}
	pthread_mutex_lock(&xop.lock);
	xop.zeroes = zeroes;
	xop.range[0] = off;
	xop.range[1] = len;
	xop.queued = true;
	atomic_store(&xop.done, false);
	pthread_cond_signal(&xop.cond);
	pthread_mutex_unlock(&xop.lock);
	xop.busy = true;
}

/* The extent op has completed: check it and free its range. */
static void extent_finish(void)
{
	uint64_t first = xop.range[0] / SECTOR, n = xop.range[1] / SECTOR, i;

	if (xop.err) {
		fprintf(stderr, "I/O error: %s %" PRIu64 " bytes at %" PRIu64 ": %s\n",
			xop.zeroes ? "BLKZEROOUT" : "BLKDISCARD", xop.range[1], xop.range[0],
			strerror(xop.err));
		exit(2);
	}
	for (i = 0; i < n; i++)
		writers[first + i]--;
	xop.zeroes ? nr_zeroes++ : nr_discards++;
	xop.busy = false;
}

static void sync_io(int fd, bool write, unsigned char *buf, size_t len, uint64_t off)
{
	ssize_t r = write ? pwrite(fd, buf, len, off) : pread(fd, buf, len, off);

	if (r != (ssize_t)len)
		die(write ? "initial fill" : "final read-back");
}

int main(int argc, char **argv)
{
	const size_t chunk = 1 << 20;
	struct io_event ev[1024];
	io_context_t ctx = 0;
	struct slot *slots;
	unsigned char *big;
	uint64_t devsize, nsec, off, i;
	unsigned int k, inflight = 0;
	struct stat st;
	pthread_t xthread;
	time_t end;
	int fd;

	parse(argc, argv);
	rng = o.seed * 0x9E3779B97F4A7C15ULL + 1;
	fd = open(o.dev, O_RDWR | O_DIRECT);
	if (fd < 0)
		die(o.dev);
	if (fstat(fd, &st))
		die(o.dev);
	if (S_ISREG(st.st_mode))
		devsize = st.st_size;
	else if (ioctl(fd, BLKGETSIZE64, &devsize))
		die("BLKGETSIZE64");
	if (devsize < o.size) {
		fprintf(stderr, "%s: %" PRIu64 " bytes, smaller than --size\n", o.dev, devsize);
		return 2;
	}
	nsec = o.size / SECTOR;
	model = calloc(nsec, sizeof(*model));
	maybe_zero = calloc(nsec, sizeof(*maybe_zero));
	writers = calloc(nsec, sizeof(*writers));
	readers = calloc(nsec, sizeof(*readers));
	slots = calloc(o.qd, sizeof(*slots));
	if (!model || !maybe_zero || !writers || !readers || !slots || posix_memalign((void **)&big, 4096, chunk))
		die("malloc");

	/* Known starting content: write id 0 everywhere. */
	if (!o.no_init) {
		for (off = 0; off < o.size; off += chunk) {
			size_t len = o.size - off < chunk ? o.size - off : chunk;

			for (i = 0; i < len / SECTOR; i++)
				fill_sector(big + i * SECTOR, off / SECTOR + i, 0);
			sync_io(fd, true, big, len, off);
		}
		if (fsync(fd))
			die("fsync");
	}

	for (k = 0; k < o.qd; k++) {
		if (posix_memalign((void **)&slots[k].base, 4096, o.max + 4096))
			die("malloc");
		slots[k].buf = slots[k].base;
	}
	if (io_setup(o.qd, &ctx))
		die("io_setup");
	xop.fd = fd;
	if ((o.discard || o.zeroes) && pthread_create(&xthread, NULL, extent_thread, &xop))
		die("pthread_create");

	end = time(NULL) + o.seconds;
	while (time(NULL) < end || inflight || xop.busy) {
		struct timespec tick = { 0, 2000000 };
		struct iocb *cbs[1024];
		int nsub = 0, got;

		if (xop.busy && atomic_load(&xop.done))
			extent_finish();
		if ((o.discard || o.zeroes) && !xop.busy && time(NULL) < end)
			extent_start();

		for (k = 0; k < o.qd && time(NULL) < end; k++) {
			struct slot *s = &slots[k];

			if (s->busy)
				continue;
			s->buf = s->base + (o.misalign ? rnd_below(8) * SECTOR : 0);
			if (!pick(s))
				break;
			submit(fd, s);
			cbs[nsub++] = &s->iocb;
		}
		if (nsub) {
			int r = io_submit(ctx, nsub, cbs);

			if (r != nsub) {
				fprintf(stderr, "io_submit: %s\n", r < 0 ? strerror(-r) : "partial");
				return 2;
			}
			inflight += nsub;
		}
		if (!inflight) {
			if (xop.busy)
				nanosleep(&tick, NULL);
			continue;
		}
		/* While an extent op runs, look at it every 2 ms. */
		got = io_getevents(ctx, 1, o.qd, ev, xop.busy ? &tick : NULL);
		if (got < 0) {
			fprintf(stderr, "io_getevents: %s\n", strerror(-got));
			return 2;
		}
		for (k = 0; k < (unsigned int)got; k++)
			complete(ev[k].data, (long)ev[k].res);
		inflight -= got;
	}
	io_destroy(ctx);
	if (o.discard || o.zeroes) {
		pthread_mutex_lock(&xop.lock);
		xop.quit = true;
		pthread_cond_signal(&xop.cond);
		pthread_mutex_unlock(&xop.lock);
		pthread_join(xthread, NULL);
	}

	/* Full read-back. */
	for (off = 0; off < o.size; off += chunk) {
		size_t len = o.size - off < chunk ? o.size - off : chunk;

		sync_io(fd, false, big, len, off);
		for (i = 0; i < len / SECTOR; i++)
			check_sector(big + i * SECTOR, off / SECTOR + i, "read-back");
	}
	close(fd);

	printf("se-stress: %s: %" PRIu64 " writes, %" PRIu64 " reads, %" PRIu64 " discards, "
	       "%" PRIu64 " write-zeroes, %" PRIu64 " MiB, %" PRIu64 " mismatches\n", o.dev,
	       nr_writes, nr_reads, nr_discards, nr_zeroes, bytes_done >> 20, nr_mismatch);
	return nr_mismatch ? 1 : 0;
}
