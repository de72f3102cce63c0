/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer: every command with --json prints one
 * document through it, so quoting and commas are handled in one place.
 *
 *	struct json j;
 *	json_init(&j, stdout);
 *	json_object_begin(&j, NULL);
 *	json_u64(&j, "size", 4096);
 *	json_array_begin(&j, "problems");
 *	json_string(&j, NULL, "backup header missing");
 *	json_array_end(&j);
 *	json_object_end(&j);
 *	json_finish(&j);	(prints the trailing newline)
 *
 * Inside an object every value needs a key; inside an array pass NULL.
 */
#ifndef SECTOREMU_JSON_H
#define SECTOREMU_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

struct json {
	FILE *out;
	int depth;
	bool need_comma[JSON_MAX_DEPTH];
};

void json_init(struct json *j, FILE *out);
void json_object_begin(struct json *j, const char *key);
void json_object_end(struct json *j);
void json_array_begin(struct json *j, const char *key);
void json_array_end(struct json *j);
void json_string(struct json *j, const char *key, const char *val);
void json_u64(struct json *j, const char *key, uint64_t val);
void json_i64(struct json *j, const char *key, int64_t val);
void json_bool(struct json *j, const char *key, bool val);
void json_null(struct json *j, const char *key);
void json_finish(struct json *j);

struct se_mapping;
struct se_mapping_view;
/*
 * The mapping as a JSON object (key @key, or NULL inside an array), with
 * a "partitions" array when @v->parts_known (json-mapping.c).
 */
void se_mapping_json(struct json *j, const char *key, const struct se_mapping *m,
		     const struct se_mapping_view *v);

#endif
