/* proactive.c - the proactive-services service (see proactive.h): the
 * consumer of the event outbox that turns life events into offers, the
 * offers of a person (list, detail, accept, decline), the programme figure
 * and the demo offer. All SQL of table proactive_offer lives here; the
 * rules themselves are in proactive_rules.c. */
#include "proactive/proactive.h"
#include "proactive/proactive_rules.h"

#include "audit/audit.h"
#include "catalog/catalog.h"
#include "core/date.h"
#include "core/jsonschema.h"
#include "core/log.h"
#include "core/mem.h"
#include "dossier/dossier.h"
#include "event/event.h"
#include "registry/registry.h"
#include "territory/territory.h"
#include "vault/vault.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OFFER_COLUMNS                                                                              \
	"id, event_seq, event_type, rule_id, recipient, subject, procedure_code, "                 \
	"procedure_name, agency, reason_vi, reason_en, form, status, created_at, expires_at, "     \
	"decided_at, dossier_code"

static void today_str(char out[16])
{
	date_format(date_local_of(ts_now()), out);
}

static const char *str(json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* ---- offers as JSON ---- */

static json_t *nullable(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *offer_row_json(store_stmt *st, const char *today)
{
	const char *form = store_col_text(st, 11);
	json_t *fj = form ? json_loads(form, 0, NULL) : NULL;
	const char *status = store_col_text(st, 12);
	const char *expires = store_col_text(st, 14);
	return json_pack(
	    "{s:s, s:s, s:s, s:{s:I, s:s, s:s}, s:s, s:s, s:{s:s, s:s}, s:s, s:{s:s, s:s}, s:o, "
	    "s:s, s:s, s:o, s:o}",
	    "id", store_col_text(st, 0), "status",
	    proactive_effective_status(status, expires, today), "rule", store_col_text(st, 3),
	    "event", "seq", (json_int_t)store_col_int(st, 1), "type", store_col_text(st, 2),
	    "subject", store_col_text(st, 5), "recipient", store_col_text(st, 4), "subject",
	    store_col_text(st, 5), "procedure", "code", store_col_text(st, 6), "name",
	    store_col_text(st, 7), "agency", store_col_text(st, 8), "reason", "vi",
	    store_col_text(st, 9), "en", store_col_text(st, 10), "form", fj ? fj : json_object(),
	    "created_at", store_col_text(st, 13), "expires_on", expires, "decided_at",
	    nullable(store_col_text(st, 15)), "dossier", nullable(store_col_text(st, 16)));
}

/* Loads offer `id` when its recipient is `person` (NULL: anyone). */
static mc_err offer_load(store_conn *c, const char *id, const char *person, json_t **out,
                         mc_diag *diag)
{
	*out = NULL;
	if (!id || strlen(id) > 64)
		goto none;
	store_stmt *st;
	mc_err e =
	    store_prepare(c, "SELECT " OFFER_COLUMNS " FROM proactive_offer WHERE id = ?1", &st);
	if (e)
		return e;
	store_bind_text(st, 1, id);
	bool row;
	e = store_step(st, &row);
	char today[16];
	today_str(today);
	if (!e && row && (!person || strcmp(person, store_col_text(st, 4)) == 0))
		*out = offer_row_json(st, today);
	store_finish(st);
	if (e)
		return e;
	if (*out)
		return MC_OK;
none:
	return mc_fail2(diag, MC_ERR_NOT_FOUND, "Không tìm thấy đề xuất.", "No such offer.");
}

static mc_err citizen_only(const mc_principal *who, mc_diag *diag)
{
	if (who->role != ROLE_CITIZEN || !who->person_id[0])
		return mc_fail2(diag, MC_ERR_FORBIDDEN,
		                "Chỉ công dân có số định danh cá nhân nhận được đề xuất.",
		                "Only citizens with a personal number receive offers.");
	return MC_OK;
}

/* ---- the consumer: events -> offers ---- */

/* The person record's data of `id` (new reference) or NULL. */
static json_t *person_data(store_conn *c, const char *id, mc_err *err)
{
	json_t *rec = NULL;
	mc_err e = registry_record_get(c, "persons", id, &rec, NULL);
	if (e && e != MC_ERR_NOT_FOUND)
		*err = e;
	json_t *d = rec ? json_incref(json_object_get(rec, "data")) : NULL;
	json_decref(rec);
	return d;
}

/* "dd/mm/yyyy" of "YYYY-MM-DD" into out (empty on a bad date). */
static void human_day(const char *iso, char out[16])
{
	mc_day d;
	int y, m, dd;
	out[0] = '\0';
	if (iso && date_parse(iso, &d)) {
		date_to_ymd(d, &y, &m, &dd);
		snprintf(out, 16, "%02d/%02d/%04d", dd, m, y);
	}
}

static void set_var(json_t *vars, const char *k, const char *v)
{
	if (v)
		json_object_set_new(vars, k, json_string(v));
}

/* The recipients of `kinds` for the event: a new array of {id, kind}. */
static json_t *recipients_of(json_t *kinds, const char *subject, json_t *rel, json_t *biz)
{
	json_t *out = json_array();
	size_t i;
	json_t *k;
	json_array_foreach(kinds, i, k)
	{
		const char *kind = json_string_value(k);
		if (!kind)
			continue;
		json_t *ids = json_array();
		if (!strcmp(kind, "subject")) {
			json_array_append_new(ids, json_string(subject));
		} else if (!strcmp(kind, "parents")) {
			if (str(rel, "father_id"))
				json_array_append(ids, json_object_get(rel, "father_id"));
			if (str(rel, "mother_id"))
				json_array_append(ids, json_object_get(rel, "mother_id"));
		} else if (!strcmp(kind, "spouse")) {
			if (str(rel, "spouse_id"))
				json_array_append(ids, json_object_get(rel, "spouse_id"));
		} else if (!strcmp(kind, "children")) {
			json_array_extend(ids, json_object_get(rel, "children"));
		} else if (!strcmp(kind, "representative")) {
			if (str(biz, "legal_representative"))
				json_array_append(ids,
				                  json_object_get(biz, "legal_representative"));
		}
		size_t j;
		json_t *id;
		json_array_foreach(ids, j, id)
		{
			bool seen = false;
			size_t n;
			json_t *have;
			json_array_foreach(out, n, have) seen =
			    seen || json_equal(json_object_get(have, "id"), id);
			if (json_is_string(id) && !seen)
				json_array_append_new(
				    out, json_pack("{s:O, s:s}", "id", id, "kind", kind));
		}
		json_decref(ids);
	}
	return out;
}

/* The agency of a procedure for a person living in `commune`. */
static mc_err agency_of(store_conn *c, json_t *proc, const char *commune, char out[24], bool *ok)
{
	*ok = false;
	if (!commune)
		return MC_OK;
	json_t *unit = NULL, *agency = NULL;
	mc_err e = territory_unit_get(c, commune, false, &unit, NULL);
	if (e == MC_ERR_NOT_FOUND)
		return MC_OK;
	if (e)
		return e;
	const char *province = str(unit, "parent");
	if (proactive_agency_for(json_object_get(proc, "level"), commune, province, out)) {
		e = territory_agency_get(c, out, &agency, NULL);
		if (e == MC_ERR_NOT_FOUND)
			e = MC_OK;
		else if (!e)
			*ok = true;
	}
	json_decref(unit);
	json_decref(agency);
	return e;
}

typedef struct offer_new {
	int64_t seq;
	const char *event_type, *rule, *recipient, *subject, *procedure, *procedure_name;
	const char *agency, *reason_vi, *reason_en, *expires;
	json_t *form;
} offer_new;

/* Inserts the offer unless (event, recipient, procedure) has one; emits
 * offer.made and audits when inserted. */
static mc_err offer_insert(store_conn *c, const offer_new *o, json_t *proc, bool *inserted)
{
	*inserted = false;
	unsigned char r[16];
	char id[33], now[32];
	randombytes_buf(r, sizeof r);
	sodium_bin2hex(id, sizeof id, r, sizeof r);
	ts_format(ts_now(), now);
	char *form = json_dumps(o->form, JSON_COMPACT | JSON_SORT_KEYS);
	store_stmt *st;
	mc_err e = store_prepare(c,
	                         "INSERT INTO proactive_offer (" OFFER_COLUMNS
	                         ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
	                         "?8, ?9, ?10, ?11, ?12, 'open', ?13, ?14, NULL, NULL) "
	                         "ON CONFLICT (event_seq, recipient, procedure_code) DO NOTHING",
	                         &st);
	if (e)
		goto out;
	store_bind_text(st, 1, id);
	store_bind_int(st, 2, o->seq);
	store_bind_text(st, 3, o->event_type);
	store_bind_text(st, 4, o->rule);
	store_bind_text(st, 5, o->recipient);
	store_bind_text(st, 6, o->subject);
	store_bind_text(st, 7, o->procedure);
	store_bind_text(st, 8, o->procedure_name);
	store_bind_text(st, 9, o->agency);
	store_bind_text(st, 10, o->reason_vi);
	store_bind_text(st, 11, o->reason_en);
	store_bind_text(st, 12, form);
	store_bind_text(st, 13, now);
	store_bind_text(st, 14, o->expires);
	e = store_step(st, NULL);
	store_finish(st);
	if (e || store_changes(c) == 0)
		goto out;
	*inserted = true;
	const char *name_en = str(proc, "name_en");
	json_t *payload =
	    json_pack("{s:s, s:s, s:{s:s, s:s}, s:{s:s, s:s}, s:s}", "offer_id", id, "procedure",
	              o->procedure, "procedure_name", "vi", o->procedure_name, "en",
	              name_en ? name_en : o->procedure_name, "reason", "vi", o->reason_vi, "en",
	              o->reason_en, "event_type", o->event_type);
	e = event_emit(c, "offer.made", o->recipient, payload);
	json_decref(payload);
	if (e)
		goto out;
	char object[48];
	snprintf(object, sizeof object, "offer/%s", id);
	json_t *detail =
	    json_pack("{s:s, s:s, s:s, s:I}", "rule", o->rule, "procedure", o->procedure,
	              "recipient", o->recipient, "event_seq", (json_int_t)o->seq);
	e = audit_append(c, "proactive", "offer.make", object, detail);
	json_decref(detail);
out:
	free(form);
	return e;
}

typedef struct ev_ctx {
	json_t *ev, *payload, *subj, *rel, *biz, *vars;
	const char *type, *subject;
	int64_t seq;
	char event_date[16], today[16];
} ev_ctx;

/* Makes the offers of one rule for one event. */
static mc_err apply_rule(store_conn *c, ev_ctx *x, json_t *rule, proactive_report *rep)
{
	json_t *proc = NULL, *recips = NULL;
	const char *code = str(rule, "procedure");
	mc_err e = catalog_procedure_get(c, code, 0, &proc, NULL);
	if (e == MC_ERR_NOT_FOUND || (!e && !catalog_offers_channel(proc, "online"))) {
		/* the catalog does not have it or does not offer it online: an
		 * offer could not be confirmed in one step */
		rep->skipped++;
		e = MC_OK;
		goto out;
	}
	if (e)
		goto out;
	recips = recipients_of(json_object_get(rule, "recipients"), x->subject, x->rel, x->biz);
	json_t *cond = json_object_get(rule, "conditions");
	size_t i;
	json_t *r;
	json_array_foreach(recips, i, r)
	{
		const char *rid = str(r, "id");
		json_t *rdata = person_data(c, rid, &e), *sdata = NULL;
		if (e)
			goto out;
		if (!rdata || json_is_string(json_object_get(rdata, "date_of_death"))) {
			rep->skipped++; /* unknown or deceased recipient */
			json_decref(rdata);
			continue;
		}
		const char *spouse = str(rdata, "spouse_id");
		sdata = spouse ? person_data(c, spouse, &e) : NULL;
		pr_facts f = {
		    .event_date = x->event_date,
		    .subject_dob = str(x->subj, "date_of_birth"),
		    .subject_has_death_record =
		        json_is_string(json_object_get(x->rel, "death_record")),
		    .recipient_residence = str(rdata, "residence"),
		    .spouse_residence = str(sdata, "residence"),
		};
		char agency[24];
		bool agency_ok = false;
		const char *why = NULL;
		bool applies = !e && proactive_rule_applies(rule, &f, &why);
		/* the receiving agency is where the recipient lives, or where
		 * the subject or the spouse lives when the rule says so */
		const char *of = str(rule, "agency_of");
		const char *commune = f.recipient_residence;
		if (of && !strcmp(of, "subject"))
			commune = str(x->subj, "residence");
		else if (of && !strcmp(of, "spouse"))
			commune = f.spouse_residence;
		if (applies)
			e = agency_of(c, proc, commune, agency, &agency_ok);
		char expires[11];
		json_int_t max_age =
		    json_integer_value(json_object_get(cond, "subject_max_age_years"));
		bool dated = proactive_expiry(
		    x->today, (int)json_integer_value(json_object_get(rule, "valid_days")),
		    f.subject_dob, (int)max_age, expires);
		if (e || !applies || !agency_ok || !dated || strcmp(expires, x->today) < 0) {
			if (!e)
				rep->skipped++;
			json_decref(rdata);
			json_decref(sdata);
			if (e)
				goto out;
			continue;
		}
		set_var(x->vars, "spouse_residence", f.spouse_residence);
		set_var(x->vars, "relationship", proactive_relationship_vi(str(r, "kind")));
		json_t *schema = json_object_get(proc, "form");
		json_t *form = NULL;
		e = vault_prefill(c, rid, schema, &form);
		if (!e)
			proactive_fill(form, schema, json_object_get(rule, "fill"), x->vars);
		json_t *reason = json_object_get(rule, "reason");
		char *rvi = proactive_expand(str(reason, "vi"), x->vars);
		char *ren = proactive_expand(str(reason, "en"), x->vars);
		offer_new o = {.seq = x->seq,
		               .event_type = x->type,
		               .rule = str(rule, "id"),
		               .recipient = rid,
		               .subject = x->subject,
		               .procedure = code,
		               .procedure_name = str(proc, "name"),
		               .agency = agency,
		               .reason_vi = rvi,
		               .reason_en = ren,
		               .expires = expires,
		               .form = form};
		bool inserted = false;
		if (!e)
			e = offer_insert(c, &o, proc, &inserted);
		rep->offers += inserted;
		free(rvi);
		free(ren);
		json_decref(form);
		json_decref(rdata);
		json_decref(sdata);
		if (e)
			goto out;
	}
out:
	json_decref(proc);
	json_decref(recips);
	return e;
}

/* Makes the offers of one event (events no rule names are passed over). */
static mc_err handle_event(store_conn *c, json_t *ev, proactive_report *rep)
{
	ev_ctx x = {.ev = ev,
	            .payload = json_object_get(ev, "payload"),
	            .type = str(ev, "type"),
	            .seq = json_integer_value(json_object_get(ev, "seq"))};
	json_t *rules = proactive_rules();
	bool any = false;
	size_t i;
	json_t *rule;
	json_array_foreach(rules, i, rule) any = any || !strcmp(str(rule, "event"), x.type);
	if (!any)
		return MC_OK;
	x.subject = str(x.payload, "id");
	if (!x.subject) {
		rep->skipped++;
		return MC_OK;
	}
	mc_err e = MC_OK;
	today_str(x.today);
	const char *created = str(ev, "created_at");
	snprintf(x.event_date, sizeof x.event_date, "%.10s", created ? created : x.today);
	x.vars = json_object();
	if (!strncmp(x.type, "business.", 9)) {
		json_t *rec = NULL;
		e = registry_record_get(c, "businesses", x.subject, &rec, NULL);
		if (!e)
			x.biz = json_incref(json_object_get(rec, "data"));
		json_decref(rec);
		set_var(x.vars, "business_id", x.subject);
		set_var(x.vars, "business_name", str(x.biz, "name"));
	} else {
		x.subj = person_data(c, x.subject, &e);
		if (!e && x.subj)
			e = registry_person_relations(c, x.subject, &x.rel, NULL);
		/* the day of the event: of the death when the registry says it,
		 * else of the recording (a birth is judged on the day it is
		 * registered: a person entered at 30 is not a newborn) */
		const char *dob = str(x.subj, "date_of_birth");
		if (!strcmp(x.type, "person.died") && str(x.payload, "date_of_death"))
			snprintf(x.event_date, sizeof x.event_date, "%s",
			         str(x.payload, "date_of_death"));
		char born[16];
		human_day(dob, born);
		set_var(x.vars, "subject_id", x.subject);
		set_var(x.vars, "subject_name", str(x.subj, "full_name"));
		set_var(x.vars, "subject_dob", dob);
		set_var(x.vars, "subject_born", born[0] ? born : NULL);
		set_var(x.vars, "subject_residence", str(x.subj, "residence"));
	}
	char day[16];
	human_day(x.event_date, day);
	set_var(x.vars, "event_date", x.event_date);
	set_var(x.vars, "event_day", day);
	if (e == MC_ERR_NOT_FOUND || (!x.subj && !x.biz)) {
		rep->skipped++; /* the record is gone: nothing to offer */
		e = MC_OK;
		goto out;
	}
	if (e)
		goto out;
	json_array_foreach(rules, i, rule)
	{
		if (strcmp(str(rule, "event"), x.type))
			continue;
		if ((e = apply_rule(c, &x, rule, rep)))
			break;
	}
out:
	json_decref(x.subj);
	json_decref(x.rel);
	json_decref(x.biz);
	json_decref(x.vars);
	return e;
}

typedef struct drain_ctx {
	proactive_report batch;
	bool more;
} drain_ctx;

/* One batch: cursor, offers and the new cursor in one write. */
static mc_err drain_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	drain_ctx *x = vctx;
	memset(&x->batch, 0, sizeof x->batch);
	x->more = false;
	int64_t pos = 0;
	json_t *items = NULL;
	mc_err e = event_cursor_get(c, PROACTIVE_CURSOR, &pos);
	if (!e)
		e = event_list_after(c, pos, NULL, NULL, PROACTIVE_BATCH, &items, &x->more, diag);
	if (e)
		goto out;
	size_t i;
	json_t *ev;
	json_array_foreach(items, i, ev)
	{
		if ((e = handle_event(c, ev, &x->batch)))
			goto out;
		pos = json_integer_value(json_object_get(ev, "seq"));
		x->batch.events++;
	}
	if (json_array_size(items))
		e = event_cursor_advance(c, PROACTIVE_CURSOR, pos);
	x->batch.position = pos;
out:
	json_decref(items);
	return e;
}

typedef struct peek_ctx {
	int64_t position;
	bool pending;
} peek_ctx;

/* Whether an event waits after the cursor (a read: an idle worker never
 * takes the writer lock). */
static mc_err peek_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	peek_ctx *x = vctx;
	x->pending = false;
	json_t *items = NULL;
	bool more = false;
	mc_err e = event_cursor_get(c, PROACTIVE_CURSOR, &x->position);
	if (!e)
		e = event_list_after(c, x->position, NULL, NULL, 1, &items, &more, diag);
	x->pending = !e && json_array_size(items) > 0;
	json_decref(items);
	return e;
}

mc_err proactive_run(store *s, long max_batches, proactive_report *rep, mc_diag *diag)
{
	memset(rep, 0, sizeof *rep);
	peek_ctx p = {0};
	mc_err pe = store_read(s, peek_fn, &p, diag);
	if (pe)
		return pe;
	rep->position = p.position;
	if (!p.pending)
		return MC_OK;
	for (;;) {
		drain_ctx x = {0};
		mc_err e = store_write(s, drain_fn, &x, diag);
		if (e)
			return e;
		rep->batches++;
		if (x.batch.offers > 0)
			event_wake(); /* the committed offer.made events, to notifications */
		rep->events += x.batch.events;
		rep->offers += x.batch.offers;
		rep->skipped += x.batch.skipped;
		rep->position = x.batch.position;
		if (!x.more || (max_batches > 0 && rep->batches >= max_batches))
			return MC_OK;
	}
}

/* ---- a person's offers ---- */

typedef struct list_ctx {
	const char *person;
	json_t *items;
} list_ctx;

static mc_err list_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	list_ctx *x = vctx;
	json_decref(x->items);
	x->items = json_array();
	store_stmt *st;
	mc_err e =
	    store_prepare(c,
	                  "SELECT " OFFER_COLUMNS " FROM proactive_offer WHERE recipient = ?1 "
	                  "ORDER BY created_at DESC, id LIMIT ?2",
	                  &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->person);
	store_bind_int(st, 2, PROACTIVE_LIST_MAX);
	char today[16];
	today_str(today);
	json_t *later = json_array();
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		json_t *o = offer_row_json(st, today);
		json_array_append_new(strcmp(str(o, "status"), "open") ? later : x->items, o);
	}
	store_finish(st);
	json_array_extend(x->items, later);
	json_decref(later);
	return e;
}

mc_err proactive_offer_list(store *s, const mc_principal *who, json_t **items, mc_diag *diag)
{
	*items = NULL;
	mc_err e = citizen_only(who, diag);
	if (e)
		return e;
	list_ctx x = {.person = who->person_id};
	e = store_read(s, list_fn, &x, diag);
	if (e) {
		json_decref(x.items);
		return e;
	}
	*items = x.items;
	return MC_OK;
}

typedef struct get_ctx {
	const char *id, *person;
	json_t *out;
} get_ctx;

static mc_err get_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	get_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	json_t *o = NULL, *proc = NULL, *rows = NULL, *errors = json_array();
	mc_err e = offer_load(c, x->id, x->person, &o, diag);
	if (e)
		goto out;
	json_t *pc = json_object_get(o, "procedure");
	e = catalog_procedure_get(c, str(pc, "code"), 0, &proc, NULL);
	if (e == MC_ERR_NOT_FOUND) {
		e = MC_OK; /* removed from the catalog: the offer alone */
	} else if (!e) {
		if (str(proc, "name_en"))
			json_object_set(pc, "name_en", json_object_get(proc, "name_en"));
		e = vault_resolve_components(c, x->person, proc, NULL, true, "$.components", errors,
		                             &rows);
		json_object_set_new(o, "components", rows ? rows : json_array());
		rows = NULL;
		json_t *missing =
		    jsonschema_validate(json_object_get(proc, "form"), json_object_get(o, "form"));
		json_object_set_new(o, "missing", missing ? missing : json_array());
	}
	if (!e) {
		x->out = o;
		o = NULL;
	}
out:
	json_decref(o);
	json_decref(proc);
	json_decref(rows);
	json_decref(errors);
	return e;
}

mc_err proactive_offer_get(store *s, const mc_principal *who, const char *id, json_t **out,
                           mc_diag *diag)
{
	*out = NULL;
	mc_err e = citizen_only(who, diag);
	if (e)
		return e;
	get_ctx x = {.id = id, .person = who->person_id};
	e = store_read(s, get_fn, &x, diag);
	if (e) {
		json_decref(x.out);
		return e;
	}
	*out = x.out;
	return MC_OK;
}

static mc_err not_open(mc_diag *diag, json_t *offer)
{
	const char *st = str(offer, "status");
	mc_err e;
	if (!strcmp(st, "expired"))
		e = mc_fail2(diag, MC_ERR_CONFLICT, "Đề xuất đã hết hạn.",
		             "The offer has expired.");
	else if (!strcmp(st, "accepted"))
		e = mc_fail2(diag, MC_ERR_CONFLICT, "Đề xuất đã được xác nhận.",
		             "The offer was already accepted.");
	else if (!strcmp(st, "superseded"))
		e = mc_fail2(diag, MC_ERR_CONFLICT, "Người thân đã nộp hồ sơ này.",
		             "A relative has already submitted this dossier.");
	else
		e = mc_fail2(diag, MC_ERR_CONFLICT, "Đề xuất đã bị từ chối.",
		             "The offer was declined.");
	mc_diag_ext(diag, "offer_status", json_string(st));
	mc_diag_ext(diag, "dossier", json_deep_copy(json_object_get(offer, "dossier")));
	return e;
}

typedef struct decide_ctx {
	const mc_principal *who;
	const char *id, *status, *dossier; /* dossier: accept only */
	json_t *out;
} decide_ctx;

/* Records the decision on an open offer; an accept replayed with the same
 * dossier (a concurrent double click) is not a conflict. */
static mc_err decide_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	decide_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	json_t *o = NULL;
	mc_err e = offer_load(c, x->id, x->who->person_id, &o, diag);
	if (e)
		return e;
	if (strcmp(str(o, "status"), "open")) {
		bool same = x->dossier && !strcmp(str(o, "status"), "accepted") &&
		            str(o, "dossier") && !strcmp(str(o, "dossier"), x->dossier);
		if (same) {
			x->out = o;
			return MC_OK;
		}
		e = not_open(diag, o);
		json_decref(o);
		return e;
	}
	json_decref(o);
	char now[32];
	ts_format(ts_now(), now);
	store_stmt *st;
	if ((e = store_prepare(c,
	                       "UPDATE proactive_offer SET status = ?2, decided_at = ?3, "
	                       "dossier_code = ?4 WHERE id = ?1 AND status = 'open'",
	                       &st)))
		return e;
	store_bind_text(st, 1, x->id);
	store_bind_text(st, 2, x->status);
	store_bind_text(st, 3, now);
	store_bind_text(st, 4, x->dossier);
	e = store_step(st, NULL);
	store_finish(st);
	if (e)
		return e;
	/* the same procedure offered to others for the same event (the other
	 * parent) is done now: one dossier per event and procedure */
	if (x->dossier &&
	    (e = store_prepare(c,
	                       "UPDATE proactive_offer SET status = 'superseded', decided_at = ?2 "
	                       "WHERE status = 'open' AND id <> ?1 AND event_seq = (SELECT "
	                       "event_seq FROM proactive_offer WHERE id = ?1) AND procedure_code = "
	                       "(SELECT procedure_code FROM proactive_offer WHERE id = ?1)",
	                       &st)) == MC_OK) {
		store_bind_text(st, 1, x->id);
		store_bind_text(st, 2, now);
		e = store_step(st, NULL);
		store_finish(st);
	}
	if (e)
		return e;
	char object[48];
	snprintf(object, sizeof object, "offer/%s", x->id);
	json_t *detail = x->dossier ? json_pack("{s:s}", "dossier", x->dossier) : json_object();
	e = audit_append(c, x->who->username,
	                 strcmp(x->status, "accepted") ? "offer.decline" : "offer.accept", object,
	                 detail);
	json_decref(detail);
	if (!e)
		e = offer_load(c, x->id, x->who->person_id, &x->out, diag);
	return e;
}

typedef struct one_ctx {
	const char *id, *person;
	json_t *out;
} one_ctx;

static mc_err one_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	one_ctx *x = vctx;
	json_decref(x->out);
	x->out = NULL;
	return offer_load(c, x->id, x->person, &x->out, diag);
}

mc_err proactive_offer_accept(mc_app *app, const mc_principal *who, const char *id, json_t *form,
                              json_t **dossier, mc_diag *diag)
{
	*dossier = NULL;
	mc_err e = citizen_only(who, diag);
	if (e)
		return e;
	if (form && !json_is_object(form)) {
		e = mc_fail2(diag, MC_ERR_INVALID, "\"form\" phải là một đối tượng.",
		             "\"form\" must be an object.");
		json_t *errors = json_array();
		mc_errors_add(errors, "$.form", "must be an object", "phải là một đối tượng");
		mc_diag_ext(diag, "errors", errors);
		return e;
	}
	one_ctx r = {.id = id, .person = who->person_id};
	if ((e = store_read(app->db, one_fn, &r, diag)))
		return e;
	json_t *offer = r.out, *body = NULL, *out = NULL;
	if (strcmp(str(offer, "status"), "open")) {
		e = not_open(diag, offer);
		goto out;
	}
	json_t *f = json_deep_copy(json_object_get(offer, "form"));
	proactive_merge(f, form, 4);
	body = json_pack("{s:s, s:s, s:s, s:o}", "procedure",
	                 str(json_object_get(offer, "procedure"), "code"), "agency",
	                 str(offer, "agency"), "channel", "online", "form", f);
	char key[80];
	snprintf(key, sizeof key, "offer-%s", id);
	bool replayed = false;
	e = dossier_submit_from_offer(app, who, body, key, id, &out, &replayed, diag);
	if (e)
		goto out;
	decide_ctx d = {.who = who, .id = id, .status = "accepted", .dossier = str(out, "code")};
	e = store_write(app->db, decide_fn, &d, diag);
	json_decref(d.out);
	if (!e) {
		*dossier = out;
		out = NULL;
	}
out:
	json_decref(offer);
	json_decref(body);
	json_decref(out);
	return e;
}

mc_err proactive_offer_decline(store *s, const mc_principal *who, const char *id, json_t **out,
                               mc_diag *diag)
{
	*out = NULL;
	mc_err e = citizen_only(who, diag);
	if (e)
		return e;
	decide_ctx d = {.who = who, .id = id, .status = "declined"};
	e = store_write(s, decide_fn, &d, diag);
	if (e) {
		json_decref(d.out);
		return e;
	}
	*out = d.out;
	return MC_OK;
}

/* ---- the programme figure ---- */

typedef struct stats_ctx {
	const char *from, *to;
	long made, accepted, declined;
} stats_ctx;

static mc_err stats_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	stats_ctx *x = vctx;
	x->made = x->accepted = x->declined = 0;
	store_stmt *st;
	mc_err e =
	    store_prepare(c,
	                  "SELECT status, COUNT(*) FROM proactive_offer WHERE created_at >= ?1 "
	                  "AND created_at < ?2 GROUP BY status",
	                  &st);
	if (e)
		return e;
	store_bind_text(st, 1, x->from);
	store_bind_text(st, 2, x->to);
	bool row;
	while (!(e = store_step(st, &row)) && row) {
		const char *s = store_col_text(st, 0);
		long n = (long)store_col_int(st, 1);
		x->made += n;
		if (!strcmp(s, "accepted"))
			x->accepted += n;
		else if (!strcmp(s, "declined"))
			x->declined += n;
	}
	store_finish(st);
	return e;
}

mc_err proactive_figure(store *s, const char *from_ts, const char *to_ts, json_t **out,
                        mc_diag *diag)
{
	*out = NULL;
	long all = 0, from_offer = 0;
	json_t *codes = proactive_essential_codes();
	mc_err e = dossier_origin_counts(s, from_ts, to_ts, codes, &all, &from_offer, diag);
	stats_ctx x = {.from = from_ts, .to = to_ts};
	if (!e)
		e = store_read(s, stats_fn, &x, diag);
	if (e)
		return e;
	*out = json_pack("{s:I, s:I, s:o, s:I, s:O, s:{s:I, s:I, s:I}, s:s, s:s, s:{s:f, s:i}}",
	                 "from_offer", (json_int_t)from_offer, "essential", (json_int_t)all, "rate",
	                 all ? json_real((double)from_offer / (double)all) : json_null(),
	                 "services", (json_int_t)json_array_size(proactive_essential_services()),
	                 "codes", codes, "offers", "made", (json_int_t)x.made, "accepted",
	                 (json_int_t)x.accepted, "declined", (json_int_t)x.declined, "from",
	                 from_ts, "to", to_ts, "target", "rate", 0.5, "year", 2030);
	return MC_OK;
}

/* ---- demo ---- */

typedef struct demo_ctx {
	int dummy;
} demo_ctx;

static mc_err demo_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)vctx;
	/* born a week ago in the father's commune (Ba Đình, Hà Nội): the
	 * personal number encodes the province (001), sex and century (3:
	 * female, 21st century) and the year of birth */
	char dob[16], child[16];
	date_format(date_local_of(ts_now()) - 7, dob);
	snprintf(child, sizeof child, "0013%.2s000104", dob + 2);
	json_t *rec = NULL;
	mc_err e = registry_record_get(c, "persons", child, &rec, NULL);
	json_decref(rec);
	if (e != MC_ERR_NOT_FOUND)
		return e; /* already recorded (or a store error) */
	json_t *data =
	    json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", child, "full_name",
	              "Nguyễn Ngọc Lan", "date_of_birth", dob, "sex", "female", "residence",
	              "00004", "father_id", "001090012345", "mother_id", "079190012346");
	e = registry_record_put(c, "persons", NULL, data, true, "demo", "birth registration (demo)",
	                        NULL, diag);
	json_decref(data);
	return e;
}

mc_err proactive_seed_demo(store *s, mc_diag *diag)
{
	demo_ctx x = {0};
	mc_err e = store_write(s, demo_fn, &x, diag);
	if (e)
		return e;
	proactive_report rep;
	return proactive_run(s, 0, &rep, diag);
}
