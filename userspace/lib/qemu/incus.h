/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A model of the memory hotplug options Incus (lxc/incus) writes into a VM's
 * QEMU configuration, release by release, judged by the QEMU layout model of
 * qemu_layout.h: what "[memory] size= slots= maxmem=" a given Incus release
 * generates for an instance on a given host, whether QEMU starts with it,
 * and the largest "limits.memory.hotplug" (or, for releases without that
 * key, the "raw.qemu.conf" override) that QEMU accepts.
 *
 * Pure computation: no I/O, no printing. The caller supplies the host facts
 * (phys-bits, total memory as Incus reads it, clustered or not).
 * qemu_incus.c cites the Incus commit, file and line of each rule.
 */
#ifndef SECTOREMU_QEMU_INCUS_H
#define SECTOREMU_QEMU_INCUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qemu/layout.h"

/* An Incus release X.Y.Z as one comparable number. */
#define INCUS_VER(x, y, z)	((x) * 10000 + (y) * 100 + (z))
#define INCUS_VER_MAJOR(v)	((v) / 10000)
#define INCUS_VER_MINOR(v)	((v) / 100 % 100)
#define INCUS_VER_MICRO(v)	((v) % 100)

/* The releases whose code the model was read from. */
#define INCUS_MODEL_OLDEST	INCUS_VER(6, 0, 0)
#define INCUS_MODEL_NEWEST	INCUS_VER(7, 3, 0)

/* The generations of the memory code; each is a set of releases that
 * generate the same [memory] section for the same inputs. */
enum incus_rules {
	INCUS_RULES_NO_HOTPLUG,	/* 6.0.0..6.0.4, 6.1..6.11: size only */
	INCUS_RULES_HOST_MEM16,	/* 6.12: slots 16, maxmem = host memory */
	INCUS_RULES_HOST_MEM8,	/* 6.13: slots 8, maxmem = host memory */
	INCUS_RULES_PHYS_BITS,	/* 6.14: maxmem 2^(bits-1), 1 TiB cap */
	INCUS_RULES_HOTPLUG_KEY,/* 6.0.5+, 6.15+: limits.memory.hotplug */
};

/* The -cpu model Incus picks: "host" on a standalone server and for VMs
 * that cannot live-migrate; "kvm64" plus flags in a cluster for VMs that
 * can (and no cluster group baseline); anything else is a cluster group's
 * instances.vm.cpu.x86_64.baseline. */
enum incus_cpu {
	INCUS_CPU_HOST,
	INCUS_CPU_KVM64,
	INCUS_CPU_OTHER,
};

/* The guest phys-bits QEMU gives a kvm64 vCPU: phys-bits is not set and
 * host-phys-bits is off for named models, so TCG_PHYS_ADDR_BITS. */
#define INCUS_KVM64_GUEST_PHYS_BITS	QEMU_TCG_PHYS_BITS

/* Parse "6.14", "6.0.5", "v6.14.0". Returns 0 or -EINVAL. */
int incus_parse_version(const char *s, unsigned *ver);

/* Which generation of the code a release runs; -ERANGE outside the model. */
int incus_rules_of(unsigned ver, enum incus_rules *rules);

/* Short name of a generation, "6.15+". */
const char *incus_rules_name(enum incus_rules rules);

/*
 * Sizes as Incus parses them (shared/units ParseByteSizeString): a decimal
 * integer and an optional, case-sensitive suffix B, kB, MB, GB, TB, PB, EB
 * (powers of 1000) or KiB .. EiB (powers of 1024); no suffix means bytes.
 * Returns 0, -EINVAL, or -ERANGE on overflow of int64.
 */
int incus_parse_size(const char *s, uint64_t *out);

/* limits.memory as Incus parses it (ParseMemoryStr): a size, or "N%" of
 * @host_mem, computed as (host_mem / 100) * N. */
int incus_parse_memory(const char *s, uint64_t host_mem, uint64_t *out);

/* The host's total memory as Incus reads it (linux.DeviceTotalMemory):
 * /proc/meminfo "MemTotal: N kB", with kB parsed as 1000 bytes. */
static inline uint64_t incus_host_mem_from_memtotal_kb(uint64_t kb)
{
	return kb * 1000;
}

struct incus_input {
	unsigned incus_version;		/* INCUS_VER() */
	const char *limits_memory;	/* NULL or "": Incus's default 1GiB */
	const char *hotplug;		/* limits.memory.hotplug; NULL: unset */
	unsigned host_phys_bits;	/* lowest "address sizes" of the sockets */
	uint64_t host_mem;		/* as Incus reads it, bytes */
	bool clustered;
	enum incus_cpu cpu;
	/* What QEMU then runs with. */
	unsigned qemu_version;		/* QEMU_VER() */
	enum qemu_cpu_vendor vendor;	/* of the vCPU: the host's for "host" */
	unsigned guest_phys_bits;	/* 0: host_phys_bits for "host",
					 * INCUS_KVM64_GUEST_PHYS_BITS else */
};

/* Why maxmem came out as it did. */
enum incus_max_rule {
	INCUS_MAX_NONE,		/* no maxmem written (before 6.12) */
	INCUS_MAX_HOST_MEM,	/* the host's total memory */
	INCUS_MAX_PHYS_BITS,	/* 2^(phys-bits - 1) */
	INCUS_MAX_CAP_1T,	/* 2^(phys-bits - 1) capped at 1 TiB */
	INCUS_MAX_HOTPLUG_KEY,	/* limits.memory.hotplug = SIZE */
	INCUS_MAX_RAISED,	/* raised to limits.memory */
	INCUS_MAX_DISABLED,	/* hotplug off: limits.memory.hotplug=false,
				 * or a CPU model other than host/kvm64 */
};

enum incus_fix {
	INCUS_FIX_HOTPLUG_KEY,	/* set limits.memory.hotplug = fix_maxmem */
	INCUS_FIX_HOTPLUG_OFF,	/* set limits.memory.hotplug = false */
	INCUS_FIX_RAW_QEMU_CONF,/* raw.qemu.conf [memory] maxmem (and slots) */
	INCUS_FIX_NONE,		/* nothing Incus writes here needs changing */
	INCUS_FIX_IMPOSSIBLE,	/* not even -m size alone starts */
};

struct incus_result {
	enum incus_rules rules;
	/* What Incus computes and writes ("[memory]" of qemu.conf). */
	uint64_t mem_bytes;		/* memSizeBytes */
	uint64_t max_bytes;		/* maxMemoryBytes */
	enum incus_max_rule max_rule;
	unsigned hotplug_bits;		/* the phys-bits used, before the -1 */
	uint64_t size_mib;		/* size = "<size_mib>M" */
	bool has_maxmem;
	uint64_t maxmem_mib;		/* maxmem = "<maxmem_mib>M" */
	unsigned slots;			/* 0: no slots key */
	/* The QEMU side. */
	struct qemu_mem_config qemu;
	bool valid;			/* passes QEMU's option checks */
	char invalid[160];		/* else QEMU's complaint */
	struct qemu_mem_layout layout;
	bool accepted;			/* QEMU starts */
	bool base_fits;			/* -m size alone starts */
	/* The largest setting that starts, with Incus's slots. */
	uint64_t max_fit_mib;		/* largest maxmem in MiB that starts,
					 * 0 if none above size does */
	enum incus_fix fix;
	uint64_t fix_maxmem_mib;	/* for HOTPLUG_KEY / RAW_QEMU_CONF */
	char fix_text[192];		/* the instance config to set */
	/* Incus's own refusal, when it refuses the instance config. */
	char incus_error[160];
};

/*
 * Model what @in->incus_version generates and how QEMU takes it. Returns 0;
 * -EINVAL when Incus itself refuses the configuration (a bad limits.memory
 * or limits.memory.hotplug; r->incus_error says why, in Incus's words) or
 * an input is out of range; -ERANGE for a release outside the model.
 */
int incus_model(const struct incus_input *in, struct incus_result *r);

#endif
