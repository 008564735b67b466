/* vault_resolve.c - how each component of a dossier is satisfied: by an
 * upload, a vault item (chosen, or the only valid one), a registry fact or
 * the eForm, following vault_satisfy_rule. Reads only, through the vault's
 * own tables and the registry facts. */
#include "vault/vault.h"
#include "vault/vault_internal.h"

#include "catalog/catalog.h"
#include "core/date.h"
#include <stdio.h>
#include <string.h>

static json_t *jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* The given entry for component `id`, or NULL (the last one wins). */
static json_t *given_for(json_t *given, const char *id, size_t *index)
{
	json_t *found = NULL;
	size_t i;
	json_t *g;
	json_array_foreach(given, i, g)
	{
		const char *cid = json_string_value(json_object_get(g, "component"));
		if (cid && strcmp(cid, id) == 0) {
			found = g;
			*index = i;
		}
	}
	return found;
}

/* Valid items of `type` of the holder: count and the first id. */
static mc_err count_valid(store_conn *c, const char *holder, const char *type, const char *today,
                          int *n, char first[VAULT_ID_LEN + 1])
{
	*n = 0;
	first[0] = '\0';
	json_t *items = NULL;
	bool more = false;
	mc_err e = vault_list_for_holder(c, holder, type, 100, NULL, NULL, &items, &more, NULL);
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		if (!vault_item_valid_on(it, today))
			continue;
		if (*n == 0)
			snprintf(first, VAULT_ID_LEN + 1, "%s",
			         json_string_value(json_object_get(it, "id")));
		(*n)++;
	}
	json_decref(items);
	return e;
}

/* Checks a chosen item; appends an error and returns false when unusable. */
static mc_err check_chosen(store_conn *c, const char *holder, const char *item_id, const char *type,
                           const char *today, const char *path, json_t *errors, bool *ok)
{
	*ok = false;
	json_t *it = NULL;
	mc_err e = vault_item_get(c, item_id, &it, NULL);
	if (e && e != MC_ERR_NOT_FOUND)
		return e;
	bool mine = false;
	if (it && (e = vault_may_act_for(
	               c, holder, json_string_value(json_object_get(it, "holder")), &mine))) {
		json_decref(it);
		return e;
	}
	if (!it || !mine)
		mc_errors_add(errors, path, "no such item in your vault",
		              "không có giấy tờ này trong kho dữ liệu của bạn");
	else if (!vault_item_valid_on(it, today))
		mc_errors_add(errors, path, "this item is revoked or not valid today",
		              "giấy tờ này đã bị thu hồi hoặc không còn hiệu lực");
	else if (type && strcmp(type, json_string_value(json_object_get(it, "type"))) != 0)
		mc_errors_add(errors, path,
		              "this item is of another document type than the component",
		              "giấy tờ này khác loại với thành phần hồ sơ");
	else
		*ok = true;
	json_decref(it);
	return MC_OK;
}

mc_err vault_resolve_components(store_conn *c, const char *holder, json_t *procedure, json_t *given,
                                bool all_required, const char *base, json_t *errors, json_t **out)
{
	*out = json_array();
	char today[16];
	date_format(date_local_of(ts_now()), today);
	bool has_holder = holder && holder[0];
	unsigned have = 0;
	mc_err e = MC_OK;
	if (has_holder && all_required) {
		json_t *facts = json_array();
		e = vault_registry_facts(c, holder, facts, &have);
		json_decref(facts);
		if (e)
			return e;
	}
	json_t *seen = json_object();
	/* required components first, in the procedure's order, then the
	 * other given ones in the order given */
	json_t *order = json_array();
	size_t i;
	json_t *comp;
	json_array_foreach(json_object_get(procedure, "components"), i, comp)
	{
		const char *cid = json_string_value(json_object_get(comp, "id"));
		size_t gi;
		bool req = catalog_component_is_document(comp) &&
		           json_is_true(json_object_get(comp, "required"));
		if (cid && ((all_required && req) || given_for(given, cid, &gi)))
			json_array_append(order, comp);
	}
	json_array_foreach(order, i, comp)
	{
		const char *cid = json_string_value(json_object_get(comp, "id"));
		if (json_object_get(seen, cid))
			continue;
		json_object_set_new(seen, cid, json_true());
		const char *name = json_string_value(json_object_get(comp, "name"));
		const char *type = vault_match_name(name);
		json_t *t = vault_doctype(type);
		size_t gi = 0;
		json_t *g = given_for(given, cid, &gi);
		const char *doc = json_string_value(json_object_get(g, "document"));
		const char *chosen = json_string_value(json_object_get(g, "vault_item"));
		bool chosen_ok = false;
		if (chosen) {
			char path[96];
			snprintf(path, sizeof path, "%s[%zu].vault_item", base, gi);
			if (!has_holder) {
				mc_errors_add(
				    errors, path,
				    "your account has no personal number, so no vault",
				    "tài khoản của bạn chưa có số định danh nên chưa có kho "
				    "dữ liệu");
			} else if ((e = check_chosen(c, holder, chosen, type, today, path, errors,
			                             &chosen_ok))) {
				break;
			}
		}
		int n = 0;
		char first[VAULT_ID_LEN + 1] = "";
		if (!doc && !chosen && t && has_holder &&
		    (e = count_valid(c, holder, type, today, &n, first)))
			break;
		bool fact = vault_fact_for_type(t, have);
		vault_satisfied_by by = vault_satisfy_rule(t, doc != NULL, chosen_ok, fact, n);
		const char *item = by == VAULT_BY_VAULT ? (chosen_ok ? chosen : first) : NULL;
		json_array_append_new(
		    *out, json_pack("{s:s, s:o, s:b, s:o, s:s, s:o, s:o, s:o, s:i}", "component",
		                    cid, "name", jstr(name), "required",
		                    catalog_component_is_document(comp) &&
		                        json_is_true(json_object_get(comp, "required")),
		                    "type", jstr(type), "satisfied_by", vault_satisfied_by_name(by),
		                    "vault_item", jstr(item), "registry_fact",
		                    by == VAULT_BY_REGISTRY
		                        ? jstr(json_string_value(json_object_get(t, "registry")))
		                        : json_null(),
		                    "document", jstr(by == VAULT_BY_UPLOAD ? doc : NULL),
		                    "candidates", n));
	}
	json_decref(order);
	json_decref(seen);
	return e;
}
