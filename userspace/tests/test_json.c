// SPDX-License-Identifier: GPL-2.0
/* The JSON writer: quoting, nesting and commas, checked byte for byte. */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "tap.h"

static char *render(void (*fn)(struct json *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct json j;

	json_init(&j, f);
	fn(&j);
	fclose(f);
	return buf;
}

static void doc_nested(struct json *j)
{
	json_object_begin(j, NULL);
	json_string(j, "name", "a\"b\\c\n\x01");
	json_u64(j, "size", 18446744073709551615ULL);
	json_i64(j, "neg", -5);
	json_array_begin(j, "list");
	json_bool(j, NULL, true);
	json_null(j, NULL);
	json_object_begin(j, NULL);
	json_object_end(j);
	json_array_end(j);
	json_array_begin(j, "empty");
	json_array_end(j);
	json_object_end(j);
	json_finish(j);
}

int main(void)
{
	char *s;

	tap_plan(1);
	s = render(doc_nested);
	tap_ok(!strcmp(s, "{\"name\":\"a\\\"b\\\\c\\n\\u0001\",\"size\":18446744073709551615,"
			  "\"neg\":-5,\"list\":[true,null,{}],\"empty\":[]}\n"),
	       "nested document is rendered exactly");
	if (tap_failed)
		tap_diag("got: %s", s);
	free(s);
	return tap_exit();
}
