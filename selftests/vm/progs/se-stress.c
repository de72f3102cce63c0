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
 * Exit status: 0 verified, 1 data mismatch, 2 usage or I/O error.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libaio.h>
#include <linux/fs.h>
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
static uint64_t *model;		/* write id per sector, 0 = initial fill */
static uint16_t *writers, *readers;	/* in-flight I/Os per sector */
static uint64_t next_id = 1, rng;
static uint64_t nr_reads, nr_writes, nr_mismatch, bytes_done;

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

	fill_sector(want, sector, model[sector]);
	if (!memcmp(p, want, SECTOR))
		return true;
	nr_mismatch++;
	if (nr_mismatch <= 20) {
		if (w[0] == MAGIC)
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
		"       [--seed N] [--misalign] [--no-init]\n");
	exit(2);
}

static void parse(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "dev", 1, 0, 'd' }, { "size", 1, 0, 's' }, { "qd", 1, 0, 'q' },
		{ "min", 1, 0, 'm' }, { "max", 1, 0, 'M' }, { "align", 1, 0, 'a' },
		{ "block", 1, 0, 'b' }, { "hot", 1, 0, 'h' }, { "read", 1, 0, 'r' },
		{ "seconds", 1, 0, 't' }, { "seed", 1, 0, 'S' },
		{ "misalign", 0, 0, 'u' }, { "no-init", 0, 0, 'n' }, { 0 }
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
		default: usage();
		}
	}
	if (!o.dev || !o.qd || o.qd > 1024 || !o.align || o.align % SECTOR ||
	    o.min < o.align || o.max < o.min || o.min % o.align || o.max % o.align ||
	    o.block % o.align || o.size < 2ULL * o.max || o.size % o.block)
		usage();
}

/* Pick a free range for a new I/O; false if the tries ran out. */
static bool pick(struct slot *s)
{
	uint64_t first, n, i;
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
		for (i = 0; i < n; i++)
			if (writers[first + i] || (s->write && readers[first + i]))
				break;
		if (i == n)
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
	writers = calloc(nsec, sizeof(*writers));
	readers = calloc(nsec, sizeof(*readers));
	slots = calloc(o.qd, sizeof(*slots));
	if (!model || !writers || !readers || !slots || posix_memalign((void **)&big, 4096, chunk))
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

	end = time(NULL) + o.seconds;
	while (time(NULL) < end || inflight) {
		struct iocb *cbs[1024];
		int nsub = 0, got;

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
		if (!inflight)
			continue;
		got = io_getevents(ctx, 1, o.qd, ev, NULL);
		if (got < 0) {
			fprintf(stderr, "io_getevents: %s\n", strerror(-got));
			return 2;
		}
		for (k = 0; k < (unsigned int)got; k++)
			complete(ev[k].data, (long)ev[k].res);
		inflight -= got;
	}
	io_destroy(ctx);

	/* Full read-back. */
	for (off = 0; off < o.size; off += chunk) {
		size_t len = o.size - off < chunk ? o.size - off : chunk;

		sync_io(fd, false, big, len, off);
		for (i = 0; i < len / SECTOR; i++)
			check_sector(big + i * SECTOR, off / SECTOR + i, "read-back");
	}
	close(fd);

	printf("se-stress: %s: %" PRIu64 " writes, %" PRIu64 " reads, %" PRIu64 " MiB, "
	       "%" PRIu64 " mismatches\n", o.dev, nr_writes, nr_reads, bytes_done >> 20, nr_mismatch);
	return nr_mismatch ? 1 : 0;
}
