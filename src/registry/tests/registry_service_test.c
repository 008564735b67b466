/* registry_service_test.c - the registry service and the event outbox
 * against a temporary store with the real administrative units: create
 * (422 with paths for a commune that does not exist, an unknown father, a
 * father who is a woman; 409 for a duplicate identifier), update with a
 * new version and the changed fields, events in the same transaction and
 * the consumer cursor, relations, a specialized registry created from a
 * definition, and the quality report finding planted duplicates and
 * contradictions in a small synthetic population. */
#include "registry/registry.h"

#include "core/mem.h"
#include "event/event.h"
#include "testsupport/testsupport.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static char dir[64];
static store *db;

static const mc_principal officer = {ROLE_OFFICER, 20, "officer", "UBND-00004", ""};

static int setup(void **state)
{
	(void)state;
	db = testsupport_store_open("registry", dir, sizeof dir);
	if (!db || testsupport_load_units(db, NULL, NULL))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return testsupport_store_remove(db, dir);
}

typedef struct put_ctx {
	const char *registry, *id, *text, *reason;
	bool create;
	json_t *out;
} put_ctx;

static mc_err put_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	put_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	json_t *data = json_loads(x->text, 0, NULL);
	mc_err e = registry_record_put(c, x->registry, x->id, data, x->create, "officer", x->reason,
	                               &x->out, diag);
	json_decref(data);
	return e;
}

/* Writes a record; returns the error, *errors (nullable) gets the 422 list. */
static mc_err put(const char *registry, const char *id, bool create, const char *text, json_t **out,
                  json_t **errors)
{
	put_ctx x = {registry, id, text, "test", create, NULL};
	mc_diag d = {0};
	mc_err e = store_write(db, put_fn, &x, &d);
	if (errors)
		*errors = d.ext ? json_incref(json_object_get(d.ext, "errors")) : NULL;
	if (out)
		*out = x.out;
	else
		json_decref(x.out);
	mc_diag_clear(&d);
	return e;
}

static bool has_path(json_t *errors, const char *path)
{
	size_t i;
	json_t *e;
	json_array_foreach(errors, i, e)
	{
		if (strcmp(json_string_value(json_object_get(e, "path")), path) == 0)
			return true;
	}
	return false;
}

static const char *const father = "{\"id\":\"001060000201\",\"full_name\":\"Phạm Văn Cha\","
                                  "\"date_of_birth\":\"1960-01-01\",\"sex\":\"male\","
                                  "\"residence\":\"00004\"}";
static const char *const mother = "{\"id\":\"001162000202\",\"full_name\":\"Lê Thị Mẹ\","
                                  "\"date_of_birth\":\"1962-01-01\",\"sex\":\"female\","
                                  "\"residence\":\"00004\"}";

typedef struct ev_ctx {
	int64_t after;
	json_t *items;
	bool more;
	const char *consumer;
	int64_t pos;
} ev_ctx;

static mc_err events_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	ev_ctx *x = vctx;
	json_decref(x->items);
	x->items = NULL;
	return event_list_after(c, x->after, NULL, NULL, 100, &x->items, &x->more, diag);
}

static json_t *events_after(int64_t after)
{
	ev_ctx x = {.after = after};
	assert_int_equal(store_read(db, events_fn, &x, NULL), MC_OK);
	return x.items;
}

static void test_create_update_events(void **state)
{
	(void)state;
	json_t *errors = NULL, *out = NULL;
	assert_int_equal(put("persons", NULL, true, father, NULL, NULL), MC_OK);
	assert_int_equal(put("persons", NULL, true, mother, NULL, NULL), MC_OK);
	assert_int_equal(put("persons", NULL, true, father, NULL, NULL), MC_ERR_CONFLICT);
	/* 422: unknown commune, unknown father, mother who is a man */
	assert_int_equal(put("persons", NULL, true,
	                     "{\"id\":\"001095000301\",\"full_name\":\"Phạm Văn Con\","
	                     "\"date_of_birth\":\"1995-01-01\",\"sex\":\"male\","
	                     "\"residence\":\"99999\",\"father_id\":\"001060009999\","
	                     "\"mother_id\":\"001060000201\"}",
	                     NULL, &errors),
	                 MC_ERR_UNPROCESSABLE);
	assert_true(has_path(errors, "$.data.residence"));
	assert_true(has_path(errors, "$.data.father_id"));
	assert_true(has_path(errors, "$.data.mother_id"));
	json_decref(errors);
	const char *child = "{\"id\":\"001095000301\",\"full_name\":\"Phạm Văn Con\","
	                    "\"date_of_birth\":\"1995-01-01\",\"sex\":\"male\","
	                    "\"residence\":\"00004\",\"father_id\":\"001060000201\","
	                    "\"mother_id\":\"001162000202\"}";
	json_t *before = events_after(0);
	int64_t last = json_integer_value(
	    json_object_get(json_array_get(before, json_array_size(before) - 1), "seq"));
	json_decref(before);
	assert_int_equal(put("persons", NULL, true, child, &out, NULL), MC_OK);
	assert_int_equal(json_integer_value(json_object_get(out, "version")), 1);
	json_decref(out);
	/* move and marry in one change: version 2 with both fields, two events */
	assert_int_equal(put("persons", NULL, true, mother, NULL, NULL), MC_ERR_CONFLICT);
	assert_int_equal(put("persons", "001095000301", false,
	                     "{\"full_name\":\"Phạm Văn Con\",\"date_of_birth\":\"1995-01-01\","
	                     "\"sex\":\"male\",\"residence\":\"00008\",\"father_id\":"
	                     "\"001060000201\",\"mother_id\":\"001162000202\",\"spouse_id\":"
	                     "\"001162000202\"}",
	                     &out, NULL),
	                 MC_OK);
	assert_int_equal(json_integer_value(json_object_get(out, "version")), 2);
	json_decref(out);
	json_t *ev = events_after(last);
	assert_int_equal(json_array_size(ev), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(ev, 0), "type")),
	                    "person.born");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ev, 1), "type")),
	                    "person.married");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ev, 2), "type")),
	                    "person.address_changed");
	assert_string_equal(json_string_value(json_object_get(json_array_get(ev, 2), "subject")),
	                    "persons/001095000301");
	json_decref(ev);
	/* the same data again: no version, no event */
	json_t *again = events_after(last);
	size_t n = json_array_size(again);
	json_decref(again);
	assert_int_equal(put("persons", "001095000301", false,
	                     "{\"full_name\":\"Phạm Văn Con\",\"date_of_birth\":\"1995-01-01\","
	                     "\"sex\":\"male\",\"residence\":\"00008\",\"father_id\":"
	                     "\"001060000201\",\"mother_id\":\"001162000202\",\"spouse_id\":"
	                     "\"001162000202\"}",
	                     &out, NULL),
	                 MC_OK);
	assert_int_equal(json_integer_value(json_object_get(out, "version")), 2);
	json_decref(out);
	again = events_after(last);
	assert_int_equal(json_array_size(again), n);
	json_decref(again);
	/* a failed write leaves no event behind */
	assert_int_equal(put("persons", "001095000301", false,
	                     "{\"id\":\"001095000399\",\"full_name\":\"X Y\"}", NULL, NULL),
	                 MC_ERR_UNPROCESSABLE);
	again = events_after(last);
	assert_int_equal(json_array_size(again), n);
	json_decref(again);
	/* identifier in the path must exist for an update */
	assert_int_equal(put("persons", "001095000399", false, child, NULL, NULL),
	                 MC_ERR_UNPROCESSABLE);
}

typedef struct rel_ctx {
	json_t *rel, *v1, *v2;
} rel_ctx;

static mc_err rel_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	rel_ctx *x = vctx;
	json_decref(x->rel);
	json_decref(x->v1);
	json_decref(x->v2);
	x->rel = x->v1 = x->v2 = NULL;
	mc_err e = registry_person_relations(c, "001060000201", &x->rel, diag);
	if (!e)
		e = registry_record_version(c, "persons", "001095000301", 1, &x->v1, diag);
	if (!e)
		e = registry_record_version(c, "persons", "001095000301", 2, &x->v2, diag);
	return e;
}

static void test_relations_and_versions(void **state)
{
	(void)state;
	rel_ctx x = {0};
	assert_int_equal(store_read(db, rel_fn, &x, NULL), MC_OK);
	json_t *kids = json_object_get(x.rel, "children");
	assert_int_equal(json_array_size(kids), 1);
	assert_string_equal(json_string_value(json_array_get(kids, 0)), "001095000301");
	assert_false(json_is_true(json_object_get(x.rel, "deceased")));
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(x.v1, "data"), "residence")),
	    "00004");
	assert_string_equal(
	    json_string_value(json_object_get(json_object_get(x.v2, "data"), "residence")),
	    "00008");
	json_t *ch = json_object_get(x.v2, "changes");
	assert_int_equal(json_array_size(ch), 2);
	assert_string_equal(json_string_value(json_object_get(x.v2, "changed_by")), "officer");
	json_decref(x.rel);
	json_decref(x.v1);
	json_decref(x.v2);
}

static mc_err cursor_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	ev_ctx *x = vctx;
	mc_err e = event_cursor_advance(c, x->consumer, x->pos);
	if (!e)
		e = event_cursor_advance(c, x->consumer, x->pos - 1); /* never backwards */
	return e;
}

static mc_err cursor_get_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	ev_ctx *x = vctx;
	return event_cursor_get(c, x->consumer, &x->pos);
}

static void test_event_cursor(void **state)
{
	(void)state;
	ev_ctx x = {.consumer = "test", .pos = 3};
	assert_int_equal(store_write(db, cursor_fn, &x, NULL), MC_OK);
	x.pos = 0;
	assert_int_equal(store_read(db, cursor_get_fn, &x, NULL), MC_OK);
	assert_int_equal(x.pos, 3);
	x.consumer = "nobody";
	assert_int_equal(store_read(db, cursor_get_fn, &x, NULL), MC_OK);
	assert_int_equal(x.pos, 0);
}

static void test_custom_registry(void **state)
{
	(void)state;
	json_t *def = json_loads(
	    "{\"name\":\"vehicles\",\"title\":\"Đăng ký xe\",\"id_field\":\"plate\","
	    "\"indexed_fields\":[\"owner_id\"],\"subject_field\":\"owner_id\","
	    "\"personal_fields\":[\"owner_id\"],\"schema\":{\"type\":\"object\","
	    "\"required\":[\"plate\",\"owner_id\"],\"properties\":{\"plate\":{\"type\":\"string\","
	    "\"pattern\":\"^[0-9]{2}[A-Z]-[0-9]{5}$\"},\"owner_id\":{\"type\":\"string\","
	    "\"x-ref\":\"persons\"}}}}",
	    0, NULL);
	json_t *out = NULL;
	mc_diag d = {0};
	assert_int_equal(registry_def_create(db, &officer, def, &out, &d), MC_OK);
	assert_string_equal(json_string_value(json_object_get(out, "agency")), "UBND-00004");
	json_decref(out);
	assert_int_equal(registry_def_create(db, &officer, def, &out, &d), MC_ERR_CONFLICT);
	mc_diag_clear(&d);
	json_decref(def);
	assert_int_equal(put("vehicles", NULL, true,
	                     "{\"plate\":\"29A-12345\",\"owner_id\":\"001060000201\"}", NULL, NULL),
	                 MC_OK);
	json_t *errors = NULL;
	assert_int_equal(put("vehicles", NULL, true,
	                     "{\"plate\":\"29A-1\",\"owner_id\":\"001060009999\"}", NULL, &errors),
	                 MC_ERR_UNPROCESSABLE);
	assert_true(has_path(errors, "$.data.plate"));
	assert_true(has_path(errors, "$.data.owner_id"));
	json_decref(errors);
}

typedef struct q_ctx {
	const char *name;
	json_t *out;
} q_ctx;

static mc_err quality_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	q_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	return registry_quality(c, x->name, &x->out, diag);
}

static void test_quality(void **state)
{
	(void)state;
	/* a planted duplicate: the father entered again under another number,
	 * spelled without diacritics */
	assert_int_equal(put("persons", NULL, true,
	                     "{\"id\":\"001060000299\",\"full_name\":\"PHAM VAN CHA\","
	                     "\"date_of_birth\":\"1960-01-01\",\"sex\":\"male\","
	                     "\"residence\":\"00004\"}",
	                     NULL, NULL),
	                 MC_OK);
	/* a death record for the living mother */
	assert_int_equal(put("death_records", NULL, true,
	                     "{\"id\":\"KT-1\",\"person_id\":\"001162000202\","
	                     "\"date_of_death\":\"2025-01-01\",\"place\":\"00004\"}",
	                     NULL, NULL),
	                 MC_OK);
	q_ctx x = {"persons", NULL};
	assert_int_equal(store_read(db, quality_fn, &x, NULL), MC_OK);
	json_t *dup = json_object_get(x.out, "duplicates");
	assert_int_equal(json_integer_value(json_object_get(dup, "groups")), 1);
	json_t *ids = json_object_get(json_array_get(json_object_get(dup, "examples"), 0), "ids");
	assert_string_equal(json_string_value(json_array_get(ids, 0)), "001060000201");
	assert_string_equal(json_string_value(json_array_get(ids, 1)), "001060000299");
	json_t *con = json_object_get(x.out, "contradictions");
	json_t *alive = json_object_get(con, "alive_with_death_record");
	assert_int_equal(json_integer_value(json_object_get(alive, "count")), 1);
	assert_string_equal(
	    json_string_value(json_array_get(json_object_get(alive, "examples"), 0)),
	    "001162000202");
	/* the child names the mother as spouse, she does not name him */
	json_t *sp = json_object_get(con, "spouse_not_reciprocal");
	assert_int_equal(json_integer_value(json_object_get(sp, "count")), 1);
	assert_int_equal(json_integer_value(json_object_get(x.out, "records")), 4);
	assert_true(json_real_value(json_object_get(x.out, "valid_share")) == 1.0);
	json_t *comp = json_object_get(x.out, "completeness");
	assert_true(json_real_value(json_object_get(comp, "full_name")) == 1.0);
	assert_true(json_real_value(json_object_get(comp, "father_id")) == 0.25);
	json_decref(x.out);
	/* a registry without a duplicate key: no groups, its reference checked */
	x.name = "vehicles";
	x.out = NULL;
	assert_int_equal(store_read(db, quality_fn, &x, NULL), MC_OK);
	assert_int_equal(
	    json_integer_value(json_object_get(json_object_get(x.out, "duplicates"), "groups")), 0);
	assert_non_null(
	    json_object_get(json_object_get(x.out, "contradictions"), "dangling_owner_id"));
	json_decref(x.out);
}

static mc_err demo_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	json_t **out = vctx;
	json_decref(*out);
	*out = NULL;
	return registry_person_relations(c, "001090012345", out, diag);
}

static void test_seed(void **state)
{
	(void)state;
	mc_diag d = {0};
	assert_int_equal(registry_seed(db, 3000, 7, NULL, &d), MC_OK);
	q_ctx x = {"persons", NULL};
	assert_int_equal(store_read(db, quality_fn, &x, NULL), MC_OK);
	json_int_t n = json_integer_value(json_object_get(x.out, "records"));
	assert_true(n >= 3000 && n < 3100);
	json_decref(x.out);
	x.out = NULL;
	/* same arguments: nothing new */
	assert_int_equal(registry_seed(db, 3000, 7, NULL, &d), MC_OK);
	assert_int_equal(store_read(db, quality_fn, &x, NULL), MC_OK);
	assert_int_equal(json_integer_value(json_object_get(x.out, "records")), n);
	json_decref(x.out);
	x.out = NULL;
	/* the demo citizens exist with their family */
	json_t *rel = NULL;
	assert_int_equal(store_read(db, demo_fn, &rel, NULL), MC_OK);
	assert_string_equal(json_string_value(json_object_get(rel, "spouse_id")), "079190012346");
	assert_string_equal(json_string_value(json_object_get(rel, "father_id")), "001060000101");
	assert_int_equal(json_array_size(json_object_get(rel, "children")), 1);
	assert_int_equal(json_array_size(json_object_get(rel, "businesses")), 1);
	json_decref(rel);
	x.name = "businesses";
	assert_int_equal(store_read(db, quality_fn, &x, NULL), MC_OK);
	assert_true(json_integer_value(json_object_get(x.out, "records")) > 0);
	json_decref(x.out);
	mc_diag_clear(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_create_update_events),
	    cmocka_unit_test(test_relations_and_versions),
	    cmocka_unit_test(test_event_cursor),
	    cmocka_unit_test(test_custom_registry),
	    cmocka_unit_test(test_quality),
	    cmocka_unit_test(test_seed),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
