/*
 * Unit tests for model/officecsv, the office import file: the header in
 * any order and case, optional columns, RFC 4180 quoting (commas, doubled
 * quotes, line breaks inside a field), a byte-order mark and CRLF lines,
 * blank lines; and every line that cannot be read reported with its line
 * (a record spanning lines counts from its first), the others still read.
 * Messages in English (no catalogue loaded).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/officecsv.h"
#include "util/xalloc.h"

/* The parse of text as "LINE:code|name|parent|tier|address|phone\n" per
 * row (NULL columns as ~) then "!LINE:message\n" per error; malloc'd. */
static char *
run(const char *text, size_t len)
{
	struct officecsv *c = officecsv_parse(text, len);
	char *out = xstrdup("");

	for (size_t i = 0; i < c->nrows; i++) {
		const struct officecsv_row *r = &c->rows[i];
		char *next = xasprintf("%s%d:%s|%s|%s|%s|%s|%s\n", out, r->line, r->code, r->name, r->parent,
		    r->tier, r->address != NULL ? r->address : "~", r->phone != NULL ? r->phone : "~");

		free(out);
		out = next;
	}
	for (size_t i = 0; i < c->nerrors; i++) {
		char *next = xasprintf("%s!%d:%s\n", out, c->errors[i].line, c->errors[i].message);

		free(out);
		out = next;
	}
	officecsv_free(&c);
	assert_null(c);
	return out;
}

static void
expect(const char *text, const char *want)
{
	char *got = run(text, strlen(text));

	assert_string_equal(got, want);
	free(got);
}

static void
test_plain(void **state)
{
	(void)state;
	expect("code,name,parent,tier\n360977,测试市,,city\n360977001,一号街道,360977,township\n",
	    "2:360977|测试市||city|~|~\n3:360977001|一号街道|360977|township|~|~\n");
	/* no line end after the last record */
	expect("code,name,parent,tier\n360977,测试市,,city",
	    "2:360977|测试市||city|~|~\n");
}

static void
test_header_order_and_optional_columns(void **state)
{
	(void)state;
	/* any order, any case, spaces around names and values */
	expect(" Tier , NAME,Phone,code,parent,address\n"
	    "township , 一号街道 ,0795-6200001, 360977001 ,360977,  某路1号 \n",
	    "2:360977001|一号街道|360977|township|某路1号|0795-6200001\n");
	/* an optional column present but empty: "" (the server clears it) */
	expect("code,name,parent,tier,phone\n360977,测试市,,city,\n", "2:360977|测试市||city|~|\n");
}

static void
test_bom_crlf_blank(void **state)
{
	(void)state;
	expect("\xEF\xBB\xBF" "code,name,parent,tier\r\n\r\n360977,测试市,,city\r\n   \r\n,,,\r\n"
	    "360977001,一号街道,360977,township\r\n",
	    "3:360977|测试市||city|~|~\n6:360977001|一号街道|360977|township|~|~\n");
	/* blank lines before the header */
	expect("\n\ncode,name,parent,tier\n360977,x,,city\n", "4:360977|x||city|~|~\n");
}

static void
test_quotes(void **state)
{
	(void)state;
	/* commas and doubled quotes inside quotes; a quoted field may be empty */
	expect("code,name,parent,tier,address\n"
	    "360977,\"测试市, 医保中心\",\"\",city,\"\"\"某\"\"路 1 号\"\n",
	    "2:360977|测试市, 医保中心||city|\"某\"路 1 号|~\n");
	/* a line break inside quotes: the record keeps its first line, the next
	 * record counts on */
	expect("code,name,parent,tier,address\n"
	    "360977,测试市,,city,\"一楼\n二楼\"\n360977001,x,360977,township,y\n",
	    "2:360977|测试市||city|一楼\n二楼|~\n4:360977001|x|360977|township|y|~\n");
	/* spaces around a quoted field */
	expect("code,name,parent,tier\n360977, \"x\" ,,city\n", "2:360977|x||city|~|~\n");
}

static void
test_bad_records_each_reported(void **state)
{
	(void)state;
	expect("code,name,parent,tier\n"
	    "360977,x,,city\n"
	    "360977001,x,360977\n"				/* 3 fields */
	    "360977002,\"x\"y,360977,township\n"		/* text after the quote */
	    "360977003,x\"y,360977,township\n"		/* a quote inside */
	    "360977004,x,360977,township,extra\n"		/* 5 fields */
	    "360977005,x,360977,township\n",
	    "2:360977|x||city|~|~\n7:360977005|x|360977|township|~|~\n"
	    "!3:3 fields, but the header names 4 columns\n"
	    "!4:text after the closing quote of a field\n"
	    "!5:a double quote inside a field that does not start with one\n"
	    "!6:5 fields, but the header names 4 columns\n");
	/* a quote never closed: reported on the line it opened, nothing after */
	expect("code,name,parent,tier\n360977,x,,city\n360977001,\"x,360977,township\n360977002,y,360977,township\n",
	    "2:360977|x||city|~|~\n!3:a quoted field is not closed\n");
}

static void
test_bad_header(void **state)
{
	(void)state;
	expect("", "!1:the file is empty: its first line names the columns code,name,parent,tier and optionally "
	    "address,phone\n");
	expect("\n  \n", "!1:the file is empty: its first line names the columns code,name,parent,tier and optionally "
	    "address,phone\n");
	expect("code,name,tier\n360977,x,city\n",
	    "!1:the header has no column \"parent\" (it names the columns: code,name,parent,tier and "
	    "optionally address,phone)\n");
	expect("code,name,parent,tier,fax\n",
	    "!1:unknown column \"fax\" (the columns are code, name, parent, tier, address, phone)\n");
	expect("code,name,parent,tier,Name\n", "!1:column \"name\" appears twice\n");
	/* a data line taken for the header */
	expect("\n360977,x,,city\n",
	    "!2:unknown column \"360977\" (the columns are code, name, parent, tier, address, phone)\n");
	/* a bad header line stops the parse */
	expect("code,\"name,parent,tier\n360977,x,,city\n", "!1:a quoted field is not closed\n");
}

static void
test_not_text(void **state)
{
	static const char nul[] = "code,name,parent,tier\n360977,x,,city\n360977001,x\0y,360977,township\n";
	char *got;

	(void)state;
	expect("code,name,parent,tier\n360977,\xB2\xE2\xCA\xD4,,city\n",
	    "!2:not UTF-8 text (save the file as CSV UTF-8)\n");
	got = run(nul, sizeof nul - 1);
	assert_string_equal(got, "!3:a NUL byte: this is not a text file\n");
	free(got);
	got = run(NULL, 0);
	assert_string_equal(got, "!1:the file is empty: its first line names the columns code,name,parent,tier and optionally "
	    "address,phone\n");
	free(got);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_header_order_and_optional_columns),
		cmocka_unit_test(test_bom_crlf_blank),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_bad_records_each_reported),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_not_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
