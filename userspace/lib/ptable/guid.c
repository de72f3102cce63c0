// SPDX-License-Identifier: GPL-2.0
/*
 * GUIDs as GPT stores them: the first three fields little-endian, the last
 * two as bytes.  Text form is the usual 8-4-4-4-12 lower-case hex.
 */
#include <stdio.h>
#include <string.h>

#include "ptable/ptable.h"

/* Byte index in the on-disk form of each hex pair of the text form. */
static const unsigned char text_order[16] = {
	3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15
};

void ptable_guid_str(const struct ptable_guid *g, char out[37])
{
	char *p = out;
	int i;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*p++ = '-';
		p += sprintf(p, "%02x", g->b[text_order[i]]);
	}
	*p = '\0';
}

bool ptable_guid_is_zero(const struct ptable_guid *g)
{
	int i;

	for (i = 0; i < 16; i++)
		if (g->b[i])
			return false;
	return true;
}

static const struct {
	const char *guid;
	const char *name;
} known_types[] = {
	{ "c12a7328-f81f-11d2-ba4b-00a0c93ec93b", "EFI System" },
	{ "21686148-6449-6e6f-744e-656564454649", "BIOS boot" },
	{ "0fc63daf-8483-4772-8e79-3d69d8477de4", "Linux filesystem" },
	{ "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f", "Linux swap" },
	{ "e6d6d379-f507-44c2-a23c-238f2a3df928", "Linux LVM" },
	{ "a19d880f-05fc-4d3b-a006-743f0f84911e", "Linux RAID" },
	{ "4f68bce3-e8cd-4db1-96e7-fbcaf984b709", "Linux root (x86-64)" },
	{ "933ac7e1-2eb4-4f13-b844-0e14e2aef915", "Linux home" },
	{ "bc13c2ff-59e6-4262-a352-b275fd6f7172", "Linux extended boot" },
	{ "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7", "Microsoft basic data" },
	{ "e3c9e316-0b5c-4db8-817d-f92df00215ae", "Microsoft reserved" },
};

const char *ptable_type_name(const struct ptable_guid *type)
{
	char s[37];
	size_t i;

	ptable_guid_str(type, s);
	for (i = 0; i < sizeof(known_types) / sizeof(known_types[0]); i++)
		if (!strcmp(s, known_types[i].guid))
			return known_types[i].name;
	return NULL;
}
