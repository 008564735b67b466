/* vault_registry.c - registry-backed facts of the vault: what the national
 * registries (persons, businesses, through the registry module's public
 * functions) say about a holder, presented as vault items of source
 * "registry". Computed on every read, never copied into vault_item. Also
 * the eForm values pre-filled from the registries. */
#include "vault/vault.h"
#include "vault/vault_internal.h"

#include "core/mem.h"
#include <stdio.h>
#include <string.h>

#include "registry/registry.h"

static json_t *fact(const char *key, const char *type, const char *holder, const char *issuer,
                    json_t *data)
{
	char id[96];
	snprintf(id, sizeof id, "registry:%s", key);
	json_t *t = vault_doctype(type);
	return json_pack("{s:s, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:b, s:o, s:o}", "id", id,
	                 "holder", holder, "type", type, "type_name", vault_type_name(type),
	                 "title", json_string_value(json_object_get(t, "name_vi")), "issuer",
	                 issuer, "status", "verified", "source", "registry", "valid", 1, "data",
	                 data, "computed", json_true());
}

static json_t *data_of(json_t *rec)
{
	return json_object_get(rec, "data");
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

static mc_err get_record(store_conn *c, const char *reg, const char *id, json_t **out)
{
	mc_err e = registry_record_get(c, reg, id, out, NULL);
	if (e == MC_ERR_NOT_FOUND) {
		*out = NULL;
		return MC_OK;
	}
	return e;
}

static json_t *pick(json_t *d, const char *const *keys)
{
	json_t *o = json_object();
	for (int i = 0; keys[i]; i++) {
		json_t *v = json_object_get(d, keys[i]);
		if (v && !json_is_null(v))
			json_object_set(o, keys[i], v);
	}
	return o;
}

mc_err vault_registry_facts(store_conn *c, const char *holder, json_t *items, unsigned *have)
{
	*have = 0;
	const char *kind = NULL;
	if (!vault_holder_kind(holder, &kind))
		return MC_OK;
	json_t *rec = NULL, *rel = NULL;
	mc_err e = MC_OK;
	if (strcmp(kind, "business") == 0) {
		if ((e = get_record(c, "businesses", holder, &rec)) || !rec)
			goto out;
		static const char *const keys[] = {
		    "id", "name", "address", "legal_representative", "status", NULL};
		json_array_append_new(items, fact("enterprise", "enterprise_registration", holder,
		                                  "BTC", pick(data_of(rec), keys)));
		*have |= VAULT_FACT_IDENTITY;
		goto out;
	}
	if ((e = get_record(c, "persons", holder, &rec)) || !rec)
		goto out;
	json_t *d = data_of(rec);
	static const char *const id_keys[] = {"id",  "full_name",     "date_of_birth",
	                                      "sex", "date_of_death", NULL};
	json_array_append_new(items,
	                      fact("identity", "identity_card", holder, "BCA", pick(d, id_keys)));
	*have |= VAULT_FACT_IDENTITY;
	if (str(d, "residence")) {
		static const char *const res_keys[] = {"residence", NULL};
		json_array_append_new(items, fact("residence", "residence_confirmation", holder,
		                                  "BCA", pick(d, res_keys)));
		*have |= VAULT_FACT_RESIDENCE;
	}
	e = registry_person_relations(c, holder, &rel, NULL);
	if (e == MC_ERR_NOT_FOUND) {
		e = MC_OK;
		goto out;
	}
	if (e)
		goto out;
	static const char *const rel_keys[] = {"father_id", "mother_id", "spouse_id", "children",
	                                       NULL};
	json_t *r = pick(rel, rel_keys);
	json_t *children = json_object_get(r, "children");
	if (children && json_array_size(children) == 0)
		json_object_del(r, "children");
	if (json_object_size(r) > 0) {
		json_array_append_new(items,
		                      fact("relations", "family_relation_proof", holder, "BCA", r));
		*have |= VAULT_FACT_RELATIONS;
	} else {
		json_decref(r);
	}
	size_t i;
	json_t *b;
	json_array_foreach(json_object_get(rel, "businesses"), i, b)
	{
		json_t *brec = NULL;
		if ((e = get_record(c, "businesses", json_string_value(b), &brec)))
			goto out;
		if (!brec)
			continue;
		static const char *const bkeys[] = {"id", "name", "address", "status", NULL};
		char key[64];
		snprintf(key, sizeof key, "business:%s", json_string_value(b));
		json_array_append_new(items, fact(key, "enterprise_registration", holder, "BTC",
		                                  pick(data_of(brec), bkeys)));
		json_decref(brec);
	}
out:
	json_decref(rec);
	json_decref(rel);
	return e;
}

bool vault_fact_for_type(json_t *type, unsigned have)
{
	const char *f = json_string_value(json_object_get(type, "registry"));
	if (!f)
		return false;
	if (strcmp(f, "identity") == 0)
		return have & VAULT_FACT_IDENTITY;
	if (strcmp(f, "residence") == 0)
		return have & VAULT_FACT_RESIDENCE;
	if (strcmp(f, "relations") == 0)
		return have & VAULT_FACT_RELATIONS;
	return false;
}

mc_err vault_may_act_for(store_conn *c, const char *person_id, const char *holder, bool *ok)
{
	*ok = person_id && person_id[0] && holder && strcmp(person_id, holder) == 0;
	if (*ok || !person_id || !person_id[0] || !holder)
		return MC_OK;
	json_t *rel = NULL;
	mc_err e = registry_person_relations(c, person_id, &rel, NULL);
	if (e == MC_ERR_NOT_FOUND)
		return MC_OK;
	if (e)
		return e;
	size_t i;
	json_t *b;
	json_array_foreach(json_object_get(rel, "businesses"), i, b)
	{
		if (json_is_string(b) && strcmp(json_string_value(b), holder) == 0)
			*ok = true;
	}
	json_decref(rel);
	return MC_OK;
}

/* Sets form[block][field] = v (borrowed) when the schema has that field. */
static void prefill_set(json_t *schema, json_t *form, const char *block, const char *field,
                        json_t *v)
{
	if (!v || json_is_null(v))
		return;
	json_t *bs = json_object_get(json_object_get(schema, "properties"), block);
	if (!json_object_get(json_object_get(bs, "properties"), field))
		return;
	json_t *b = json_object_get(form, block);
	if (!b) {
		b = json_object();
		json_object_set_new(form, block, b);
	}
	json_object_set(b, field, v);
}

static mc_err prefill_person(store_conn *c, json_t *schema, json_t *form, const char *block,
                             const char *id, bool with_address)
{
	json_t *rec = NULL;
	mc_err e = get_record(c, "persons", id, &rec);
	if (e || !rec)
		return e;
	json_t *d = data_of(rec);
	prefill_set(schema, form, block, "full_name", json_object_get(d, "full_name"));
	prefill_set(schema, form, block, "date_of_birth", json_object_get(d, "date_of_birth"));
	prefill_set(schema, form, block, "person_id", json_object_get(d, "id"));
	prefill_set(schema, form, block, "sex", json_object_get(d, "sex"));
	if (with_address && str(d, "residence")) {
		json_t *bs = json_object_get(json_object_get(schema, "properties"), block);
		json_t *as = json_object_get(json_object_get(bs, "properties"), "address");
		if (json_object_get(json_object_get(as, "properties"), "commune_code")) {
			json_t *addr =
			    json_pack("{s:O}", "commune_code", json_object_get(d, "residence"));
			prefill_set(schema, form, block, "address", addr);
			json_decref(addr);
		}
	}
	json_decref(rec);
	return MC_OK;
}

mc_err vault_prefill(store_conn *c, const char *person_id, json_t *schema, json_t **out)
{
	*out = json_object();
	if (!person_id || !person_id[0] || !json_is_object(schema))
		return MC_OK;
	mc_err e = prefill_person(c, schema, *out, "applicant", person_id, true);
	if (e)
		return e;
	json_t *rel = NULL;
	e = registry_person_relations(c, person_id, &rel, NULL);
	if (e == MC_ERR_NOT_FOUND)
		return MC_OK;
	if (e)
		return e;
	/* the applicant's spouse; the applicant's parents stay with the
	 * applicant's own record (a form's father/mother blocks usually
	 * describe a child's parents, i.e. the applicant and the spouse) */
	const char *self_block = NULL;
	json_t *props = json_object_get(schema, "properties");
	json_t *me = json_object_get(*out, "applicant");
	const char *sex = str(me, "sex");
	if (!sex) {
		json_t *rec = NULL;
		if (!(e = get_record(c, "persons", person_id, &rec)) && rec)
			sex = str(data_of(rec), "sex");
		if (sex && strcmp(sex, "male") == 0)
			self_block = "father";
		else if (sex)
			self_block = "mother";
		json_decref(rec);
	}
	if (!e && self_block && json_object_get(props, self_block))
		e = prefill_person(c, schema, *out, self_block, person_id, false);
	const char *spouse = str(rel, "spouse_id");
	if (!e && spouse && self_block) {
		const char *other = strcmp(self_block, "father") == 0 ? "mother" : "father";
		if (json_object_get(props, other))
			e = prefill_person(c, schema, *out, other, spouse, false);
	}
	if (!e && spouse && json_object_get(props, "spouse"))
		e = prefill_person(c, schema, *out, "spouse", spouse, false);
	json_decref(rel);
	return e;
}
