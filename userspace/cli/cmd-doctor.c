// SPDX-License-Identifier: GPL-2.0
/*
 * sectoremu doctor [--json] [<dev>...]: one report for the host.  For
 * each disk (or each <dev>): its logical and physical block sizes and,
 * for an NVMe namespace, its LBA formats, the one in use and whether a
 * 512-byte one exists; whether it is mapped.  Then the module, the
 * mappings, the CPU's phys-bits and the QEMU findings.  Exit status 1
 * when something needs attention.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base/units.h"
#include "cli.h"
#include "dm/table.h"
#include "host/blkdev.h"
#include "host/module.h"
#include "host/nvme.h"
#include "host/users.h"
#include "json.h"
#include "qemu/advice.h"
#include "qemu/binary.h"
#include "qemu/size.h"

/* The QEMU findings are for a small default VM whose disks live here. */
#define DOCTOR_QEMU_PATH	"/var/lib"
#define DOCTOR_QEMU_RAM		(1 * GiB)
#define DOCTOR_QEMU_SLOTS	16

enum disk_state {
	DISK_512,		/* 512-byte logical blocks: nothing to do */
	DISK_MAPPED,		/* a sectoremu mapping presents it */
	DISK_IN_USE,		/* partitions, holders or a mount of its own */
	DISK_UNMAPPED,		/* large blocks, unused, unmapped: attention */
};

/* Whether the mapping's status line counts I/O errors. */
static bool has_errors(const struct se_mapping_view *v)
{
	return v->nr_counters > SE_COUNTER_ERRORS && v->counters[SE_COUNTER_ERRORS];
}

static const char *const state_names[] = {
	[DISK_512] = "no-mapping-needed",
	[DISK_MAPPED] = "mapped",
	[DISK_IN_USE] = "in-use",
	[DISK_UNMAPPED] = "needs-mapping",
};

struct disk {
	struct blkdev_info b;
	int nvme_err;			/* 0: formats read */
	struct nvme_ns_formats nvme;
	char mapped_by[256];		/* sectoremu mappings, comma separated */
	char used_by[256];		/* why it is in use */
	enum disk_state state;
};

struct report {
	struct module_info mod;
	struct disk *disks;
	size_t nr_disks;
	struct se_mapping *maps;
	size_t nr_maps;
	bool maps_ok;
	struct qemu_advice qemu;
	bool qemu_ok;
	unsigned int attention;
};

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: %s doctor [--json] [<dev>...]\n"
		"Report on this host: each disk's block sizes and NVMe LBA formats\n"
		"(or only <dev>...), the dm-sectoremu module, the mappings, the CPU's\n"
		"phys-bits and what QEMU can do here.  Exit status 1 when something\n"
		"needs attention.\n\n"
		"  --json       the report as JSON\n"
		"  -h, --help\n", prog);
}

static void append(char *buf, size_t len, const char *s)
{
	size_t n = strlen(buf);

	snprintf(buf + n, len - n, "%s%s", n ? "," : "", s);
}

/*
 * Who uses the disk (host/users.h), but for its own sectoremu mappings:
 * partitions, other holders, mounts, swap, loop devices.
 */
static void find_users(struct disk *d, const char *const *mine, size_t nmine)
{
	struct blk_users u;
	const struct blk_use *v;
	size_t i;

	blk_users_dev(makedev(d->b.major, d->b.minor), &u);
	blk_users_drop_holders(&u, mine, nmine);
	for (i = 0; i < u.n; i++) {
		v = &u.v[i];
		append(d->used_by, sizeof(d->used_by),
		       v->kind == BLK_USE_HOLDER && v->dm_name[0] ? v->dm_name : v->by);
	}
	blk_users_free(&u);
}

static void examine(struct report *r, struct disk *d)
{
	const char *mine[16];
	struct se_table t;
	size_t i, nmine = 0;
	char dev[96];

	snprintf(dev, sizeof(dev), "/dev/%s", d->b.name);
	d->nvme_err = d->b.is_nvme ? nvme_id_ns_read(dev, &d->nvme) : -ENOTTY;
	for (i = 0; i < r->nr_maps; i++)
		if (!se_table_parse(r->maps[i].params, &t) &&
		    t.major == d->b.major && t.minor == d->b.minor) {
			append(d->mapped_by, sizeof(d->mapped_by), r->maps[i].name);
			if (nmine < sizeof(mine) / sizeof(mine[0]))
				mine[nmine++] = r->maps[i].name;
		}
	find_users(d, mine, nmine);
	if (d->b.lbs <= 512)
		d->state = DISK_512;
	else if (d->mapped_by[0])
		d->state = DISK_MAPPED;
	else if (d->used_by[0])
		d->state = DISK_IN_USE;
	else
		d->state = DISK_UNMAPPED;
	if (d->state == DISK_UNMAPPED)
		r->attention++;
}

static int gather(struct report *r, int ndev, char **devs)
{
	struct blkdev_info *list = NULL;
	size_t i, n;

	module_info_read(&r->mod);
	if (!r->mod.loaded)
		r->attention++;
	r->maps_ok = !access("/sys/class/misc/device-mapper", F_OK) &&
		     !se_dm_list(&r->maps, &r->nr_maps);
	if (ndev) {
		list = calloc((size_t)ndev, sizeof(*list));
		if (!list)
			return -1;
		for (n = 0; n < (size_t)ndev; n++)
			if (blkdev_info_of_path(devs[n], &list[n])) {
				free(list);
				return -1;
			}
	} else if (blkdev_list(&list, &n)) {
		return -1;
	}
	r->disks = calloc(n ? n : 1, sizeof(*r->disks));
	if (!r->disks) {
		free(list);
		return -1;
	}
	r->nr_disks = n;
	for (i = 0; i < n; i++) {
		r->disks[i].b = list[i];
		examine(r, &r->disks[i]);
	}
	free(list);
	for (i = 0; i < r->nr_maps; i++) {
		struct se_mapping_view v;

		if (r->maps[i].suspended ||
		    (!se_mapping_view(&r->maps[i], &v) && has_errors(&v)))
			r->attention++;
	}
	r->qemu_ok = qemu_advice_host(DOCTOR_QEMU_PATH, DOCTOR_QEMU_RAM,
				      DOCTOR_QEMU_SLOTS, &r->qemu);
	return 0;
}

/* ---- text ---- */

static void print_disk(const struct disk *d)
{
	const struct nvme_ns_formats *f = &d->nvme;
	char size[32];
	int f512;

	size_human(d->b.bytes, size, sizeof(size));
	printf("  /dev/%s%s%s: %s, logical block %u, physical block %u\n",
	       d->b.name, d->b.model[0] ? " " : "", d->b.model, size, d->b.lbs, d->b.pbs);
	if (d->b.is_nvme && d->nvme_err)
		printf("    NVMe Identify Namespace failed: %s\n", strerror(-d->nvme_err));
	if (d->b.is_nvme && !d->nvme_err) {
		printf("    NVMe namespace %u, LBA formats (* in use):\n", f->nsid);
		for (unsigned int i = 0; i < f->nr_formats; i++) {
			printf("     %c%2u: %u bytes", i == f->in_use ? '*' : ' ', i,
			       f->f[i].data_size);
			if (f->f[i].meta_size)
				printf(" + %u bytes metadata", f->f[i].meta_size);
			printf("\n");
		}
	}
	switch (d->state) {
	case DISK_512:
		printf("    %u-byte logical blocks: needs no mapping\n", d->b.lbs);
		break;
	case DISK_MAPPED:
		printf("    mapped by %s\n", d->mapped_by);
		break;
	case DISK_IN_USE:
		printf("    %u-byte logical blocks, in use (%s): left alone\n",
		       d->b.lbs, d->used_by);
		break;
	case DISK_UNMAPPED:
		printf("    needs attention: %u-byte logical blocks and no sectoremu mapping;\n"
		       "    VM images with 512-byte sectors do not boot from it. Either\n"
		       "      sectoremu map /dev/%s     (changes nothing on the disk)\n",
		       d->b.lbs, d->b.name);
		f512 = d->b.is_nvme && !d->nvme_err ? nvme_format_512(f) : -1;
		if (f512 >= 0)
			printf("    or reformat the namespace to 512-byte blocks, which DESTROYS ALL DATA on it:\n"
			       "      nvme format /dev/%s --lbaf=%d\n", d->b.name, f512);
		else if (d->b.is_nvme && !d->nvme_err)
			printf("    (the namespace has no 512-byte LBA format: mapping is the only way)\n");
		break;
	}
}

static void print_qemu(const struct report *r)
{
	const struct qemu_advice *q = &r->qemu;
	char buf[64];

	if (q->mem_ok) {
		printf("CPU: %u physical address bits (phys-bits), %s\n",
		       q->mem.cpu.phys_bits, q->mem.cpu.vendor_id[0] ? q->mem.cpu.vendor_id : "vendor unknown");
		qemu_size_str(q->mem.ram, buf, sizeof(buf));
		printf("QEMU %u.%u%s: a q35 VM with -cpu host, -m %s,slots=%u can have ",
		       QEMU_VER_MAJOR(q->mem.qemu_version), QEMU_VER_MINOR(q->mem.qemu_version),
		       q->mem.qemu_found ? "" : " (none installed; the newest modelled)",
		       buf, q->mem.slots);
		if (q->mem.max_maxmem == QEMU_MEM_UNLIMITED) {
			printf("any maxmem\n");
		} else if (!q->mem.max_maxmem) {
			printf("no maxmem at all\n");
		} else {
			qemu_size_str(q->mem.max_maxmem, buf, sizeof(buf));
			printf("maxmem up to %s (see sectoremu qemu-mem)\n", buf);
		}
	} else {
		printf("CPU: phys-bits unknown (neither CPUID nor /proc/cpuinfo says)\n");
	}
	if (!q->aio_ok || q->aio.binary != QEMU_AIO_BINARY_OK) {
		printf("QEMU AIO: no usable %s to ask\n", QEMU_X86_BINARY);
		return;
	}
	printf("QEMU AIO under %s: threads %s, native %s, io_uring %s",
	       q->aio.path, q->aio.works[QEMU_AIO_THREADS] ? "works" : "fails",
	       q->aio.works[QEMU_AIO_NATIVE] ? "works" : "fails",
	       q->aio.works[QEMU_AIO_IO_URING] ? "works" : "fails");
	if (q->aio_recommended != QEMU_AIO_NR)
		printf("; use aio=%s (see sectoremu qemu-aio)", qemu_aio_name(q->aio_recommended));
	printf("\n");
}

static void print_text(const struct report *r)
{
	struct se_mapping_view v;
	size_t i;

	if (r->mod.loaded)
		printf("Module: dm-sectoremu %s loaded\n", r->mod.version[0] ? r->mod.version : "(version unknown)");
	else
		printf("Module: dm-sectoremu is not loaded (needs attention): %s\n",
		       r->mod.installed ? "modprobe dm-sectoremu" :
		       "it is not installed for this kernel either (make install-dkms)");
	printf("Disks:\n");
	if (!r->nr_disks)
		printf("  none\n");
	for (i = 0; i < r->nr_disks; i++)
		print_disk(&r->disks[i]);
	printf("Mappings:%s\n", !r->maps_ok ? " device-mapper is not available" :
				 r->nr_maps ? "" : " none");
	for (i = 0; i < r->nr_maps; i++) {
		if (se_mapping_view(&r->maps[i], &v))
			continue;
		printf("  /dev/mapper/%s on %s, %u-byte sectors, %s%s%s\n", r->maps[i].name,
		       v.backing, v.sector_size, r->maps[i].suspended ? "suspended" : "active",
		       has_errors(&v) ? ", I/O errors: " : "",
		       has_errors(&v) ? "see sectoremu status" : "");
	}
	print_qemu(r);
	if (r->attention)
		printf("%u thing%s need%s attention.\n", r->attention,
		       r->attention == 1 ? "" : "s", r->attention == 1 ? "s" : "");
	else
		printf("Nothing needs attention.\n");
}

/* ---- JSON ---- */

static void json_list(struct json *j, const char *key, const char *csv)
{
	char buf[256], *p, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", csv);
	json_array_begin(j, key);
	for (p = strtok_r(buf, ",", &save); p; p = strtok_r(NULL, ",", &save))
		json_string(j, NULL, p);
	json_array_end(j);
}

static void json_nvme(struct json *j, const struct disk *d)
{
	const struct nvme_ns_formats *f = &d->nvme;
	int f512 = nvme_format_512(f);

	if (!d->b.is_nvme) {
		json_null(j, "nvme");
		return;
	}
	json_object_begin(j, "nvme");
	if (d->nvme_err) {
		json_string(j, "error", strerror(-d->nvme_err));
		json_object_end(j);
		return;
	}
	json_u64(j, "nsid", f->nsid);
	json_array_begin(j, "lba_formats");
	for (unsigned int i = 0; i < f->nr_formats; i++) {
		json_object_begin(j, NULL);
		json_u64(j, "index", i);
		json_u64(j, "data_size", f->f[i].data_size);
		json_u64(j, "metadata_size", f->f[i].meta_size);
		json_u64(j, "relative_performance", f->f[i].rel_perf);
		json_bool(j, "in_use", i == f->in_use);
		json_object_end(j);
	}
	json_array_end(j);
	json_u64(j, "format_in_use", f->in_use);
	json_bool(j, "has_512", f512 >= 0);
	if (f512 >= 0)
		json_u64(j, "format_512", (uint64_t)f512);
	else
		json_null(j, "format_512");
	json_object_end(j);
}

static void json_disk(struct json *j, const struct disk *d)
{
	char dev[96];

	snprintf(dev, sizeof(dev), "/dev/%s", d->b.name);
	json_object_begin(j, NULL);
	json_string(j, "device", dev);
	json_string(j, "model", d->b.model);
	json_string(j, "wwid", d->b.wwid);
	json_u64(j, "size_bytes", d->b.bytes);
	json_u64(j, "logical_block_size", d->b.lbs);
	json_u64(j, "physical_block_size", d->b.pbs);
	json_nvme(j, d);
	json_list(j, "mapped_by", d->mapped_by);
	json_list(j, "used_by", d->used_by);
	json_string(j, "state", state_names[d->state]);
	json_object_end(j);
}

static void json_qemu(struct json *j, const struct qemu_advice *q)
{
	json_object_begin(j, "cpu");
	if (q->mem_ok) {
		json_u64(j, "phys_bits", q->mem.cpu.phys_bits);
		json_string(j, "vendor", q->mem.cpu.vendor_id);
	} else {
		json_null(j, "phys_bits");
		json_null(j, "vendor");
	}
	json_object_end(j);
	json_object_begin(j, "qemu");
	if (q->mem_ok) {
		char v[16];

		snprintf(v, sizeof(v), "%u.%u", QEMU_VER_MAJOR(q->mem.qemu_version),
			 QEMU_VER_MINOR(q->mem.qemu_version));
		json_bool(j, "found", q->mem.qemu_found);
		json_string(j, "version", v);
		json_u64(j, "ram", q->mem.ram);
		json_u64(j, "slots", q->mem.slots);
		if (q->mem.max_maxmem == QEMU_MEM_UNLIMITED)
			json_null(j, "max_maxmem");
		else
			json_u64(j, "max_maxmem", q->mem.max_maxmem);
	}
	if (q->aio_ok && q->aio.binary == QEMU_AIO_BINARY_OK) {
		json_object_begin(j, "aio");
		for (int m = 0; m < QEMU_AIO_NR; m++)
			json_bool(j, qemu_aio_name((enum qemu_aio_mode)m), q->aio.works[m]);
		json_object_end(j);
		if (q->aio_recommended != QEMU_AIO_NR)
			json_string(j, "aio_recommended", qemu_aio_name(q->aio_recommended));
		else
			json_null(j, "aio_recommended");
	} else {
		json_null(j, "aio");
	}
	json_object_end(j);
}

static void print_json(const struct report *r)
{
	struct se_mapping_view v;
	struct json j;
	size_t i;

	json_init(&j, stdout);
	json_object_begin(&j, NULL);
	json_object_begin(&j, "module");
	json_bool(&j, "loaded", r->mod.loaded);
	if (r->mod.version[0])
		json_string(&j, "version", r->mod.version);
	else
		json_null(&j, "version");
	json_bool(&j, "installed", r->mod.installed);
	json_string(&j, "kernel", r->mod.kernel);
	json_object_end(&j);
	json_array_begin(&j, "disks");
	for (i = 0; i < r->nr_disks; i++)
		json_disk(&j, &r->disks[i]);
	json_array_end(&j);
	json_array_begin(&j, "mappings");
	for (i = 0; i < r->nr_maps; i++)
		if (!se_mapping_view(&r->maps[i], &v))
			se_mapping_json(&j, NULL, &r->maps[i], &v);
	json_array_end(&j);
	json_qemu(&j, &r->qemu);
	json_u64(&j, "attention", r->attention);
	json_object_end(&j);
	json_finish(&j);
}

int cmd_doctor(int argc, char **argv)
{
	struct report r;
	bool json;
	int rc;

	rc = parse_flag_opt(argc, argv, "json", usage, &json);
	if (rc >= 0)
		return rc;
	memset(&r, 0, sizeof(r));
	if (gather(&r, argc - optind, argv + optind)) {
		rc = EXIT_FAIL;
		goto out;
	}
	if (json)
		print_json(&r);
	else
		print_text(&r);
	rc = r.attention ? EXIT_FAIL : EXIT_OK;
out:
	free(r.disks);
	free(r.maps);
	return rc;
}
