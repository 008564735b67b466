/* registry_seed.c - a deterministic synthetic population for demos and
 * benchmarks: families (two parents, usually married, zero to four
 * children) across the real communes, deaths with their death records,
 * businesses with branches, and a little bad data on purpose (people
 * entered twice under two numbers, records that fail validation,
 * contradictions between registries, unverified records), so that the
 * quality report has something to find. Same persons and seed, same data.
 *
 * Rows are generated in batches of BATCH persons, then written by one
 * store_write each through reg_write_row (no validation, events or audit
 * per row: this is a bulk load of existing data; one audit entry
 * "registry.seed" tells it happened). */
#include "registry/registry_internal.h"

#include "audit/audit.h"
#include "core/ids.h"
#include "core/mem.h"
#include "territory/territory.h"
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BATCH 20000
#define RESERVOIR 512

typedef struct commune {
	char code[8];
	int province; /* birth-registration province number */
} commune;

typedef struct pending {
	int reg; /* 0 persons, 1 businesses, 2 death_records */
	char id[80];
	json_t *data;
	bool valid;
	char verified[32]; /* "" when never */
} pending;

typedef struct adult {
	char id[13];
	bool dead;
} adult;

typedef struct gen {
	uint64_t rng;
	commune *communes;
	int ncommunes;
	long person_counter, business_counter;
	int year_now;
	mc_day today;
	time_t now;
	adult reservoir[RESERVOIR];
	int nreservoir;
	pending *rows;
	size_t nrows, cap;
	long persons, businesses, deaths, duplicates, invalid;
} gen;

static uint64_t next(gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int rnd(gen *g, int n)
{
	return n <= 0 ? 0 : (int)(next(g) % (uint64_t)n);
}

/* True with probability per_mille / 1000. */
static bool chance(gen *g, int per_mille)
{
	return rnd(g, 1000) < per_mille;
}

static const char *const family_names[] = {
    "Nguyễn", "Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê",  "Phạm",  "Hoàng", "Huỳnh",
    "Phan",   "Vũ",     "Võ",     "Đặng",   "Bùi",  "Đỗ",   "Hồ", "Ngô", "Dương", "Lý"};
static const char *const male_middle[] = {"Văn",   "Hữu",   "Đức",  "Minh",
                                          "Quang", "Thành", "Công", "Gia"};
static const char *const female_middle[] = {"Thị",   "Thị",  "Ngọc", "Thu",
                                            "Thanh", "Minh", "Kim",  "Bảo"};
static const char *const male_given[] = {"An",   "Bình",  "Cường", "Dũng",  "Đạt",  "Hải", "Hùng",
                                         "Huy",  "Khang", "Khoa",  "Long",  "Minh", "Nam", "Phúc",
                                         "Quân", "Sơn",   "Thắng", "Trung", "Tuấn", "Việt"};
static const char *const female_given[] = {
    "Anh", "Chi", "Dung", "Hà",    "Hạnh",   "Hoa",   "Hương", "Lan",   "Linh", "Mai",
    "My",  "Nga", "Ngọc", "Nhung", "Phương", "Quỳnh", "Thảo",  "Trang", "Vân",  "Yến"};
static const char *const trades[] = {"Thương mại", "Xây dựng",  "Dịch vụ",  "Vận tải",
                                     "Nông sản",   "Công nghệ", "Du lịch",  "May mặc",
                                     "Thực phẩm",  "Cơ khí",    "Giáo dục", "Dược phẩm"};
static const char *const forms[] = {"Công ty TNHH", "Công ty Cổ phần", "Doanh nghiệp tư nhân"};

#define PICK(g, a) (a)[rnd((g), (int)(sizeof(a) / sizeof((a)[0])))]

static const char *const demo_ids[] = {"001090012345", "079190012346", "001060000101",
                                       "001160000102", "001220000103", NULL};

static bool is_demo_id(const char *id)
{
	for (int i = 0; demo_ids[i]; i++)
		if (strcmp(demo_ids[i], id) == 0)
			return true;
	return false;
}

static pending *push(gen *g, int reg, const char *id, json_t *data)
{
	if (g->nrows == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 4096;
		g->rows = mc_xrealloc(g->rows, g->cap * sizeof *g->rows);
	}
	pending *p = &g->rows[g->nrows++];
	memset(p, 0, sizeof *p);
	p->reg = reg;
	snprintf(p->id, sizeof p->id, "%s", id);
	p->data = data;
	p->valid = true;
	if (!chance(g, 200)) { /* 80 % verified within the last five years */
		time_t t = g->now - (time_t)rnd(g, 5 * 365) * 86400 - rnd(g, 86400);
		ts_format(t, p->verified);
	}
	return p;
}

static void new_person_id(gen *g, int province, bool female, int year, char out[13])
{
	do {
		long n = g->person_counter++;
		int cs = (year / 100 - 19) * 2 + (female ? 1 : 0);
		long suffix = (n * 7919L + 104729L) % 1000000L;
		char buf[48];
		snprintf(buf, sizeof buf, "%03d%d%02d%06ld", province % 1000, cs % 10,
		         (year % 100 + 100) % 100, suffix);
		memcpy(out, buf, 12);
		out[12] = '\0';
	} while (is_demo_id(out));
}

static void random_date(gen *g, int year, char out[11])
{
	mc_day d = date_from_ymd(year, 1, 1) + rnd(g, 365);
	if (d > g->today)
		d = g->today - rnd(g, 30);
	date_format(d, out);
}

typedef struct person {
	char id[13], dob[11], dod[11];
	int year;
	bool female;
	const char *family;
	const commune *home;
} person;

static json_t *person_json(const person *p, const char *name, const char *father,
                           const char *mother, const char *spouse)
{
	json_t *o =
	    json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", p->id, "full_name", name, "date_of_birth",
	              p->dob, "sex", p->female ? "female" : "male", "residence", p->home->code);
	if (father)
		json_object_set_new(o, "father_id", json_string(father));
	if (mother)
		json_object_set_new(o, "mother_id", json_string(mother));
	if (spouse)
		json_object_set_new(o, "spouse_id", json_string(spouse));
	if (p->dod[0])
		json_object_set_new(o, "date_of_death", json_string(p->dod));
	return o;
}

static void make_person(gen *g, person *p, bool female, int year, const char *family,
                        const commune *home)
{
	memset(p, 0, sizeof *p);
	p->female = female;
	p->year = year;
	p->family = family;
	p->home = home;
	new_person_id(g, home->province, female, year, p->id);
	random_date(g, year, p->dob);
}

static char *full_name(gen *g, const char *family, bool female)
{
	return mc_xasprintf("%s %s %s", family,
	                    female ? PICK(g, female_middle) : PICK(g, male_middle),
	                    female ? PICK(g, female_given) : PICK(g, male_given));
}

/* Maybe dies: older people more often, never before `not_before` (year). */
static void maybe_die(gen *g, person *p, int not_before)
{
	int age = g->year_now - p->year;
	int per_mille = age > 85 ? 700 : age > 70 ? 250 : age > 55 ? 60 : 8;
	if (!chance(g, per_mille))
		return;
	int from = p->year + 30 > not_before ? p->year + 30 : not_before;
	if (from >= g->year_now)
		return;
	random_date(g, from + rnd(g, g->year_now - from), p->dod);
	if (strcmp(p->dod, p->dob) <= 0)
		p->dod[0] = '\0';
}

static void remember_adult(gen *g, const person *p)
{
	int slot = g->nreservoir < RESERVOIR ? g->nreservoir++ : rnd(g, RESERVOIR);
	memcpy(g->reservoir[slot].id, p->id, 13);
	g->reservoir[slot].dead = p->dod[0] != '\0';
}

static void add_person(gen *g, const person *p, const char *name, const char *father,
                       const char *mother, const char *spouse)
{
	push(g, 0, p->id, person_json(p, name, father, mother, spouse));
	g->persons++;
	if (p->dod[0]) {
		g->deaths++;
		if (!chance(g, 10)) { /* 1 % of deaths lack their record */
			char id[20];
			snprintf(id, sizeof id, "KT-%s", p->id);
			push(g, 2, id,
			     json_pack("{s:s, s:s, s:s, s:s}", "id", id, "person_id", p->id,
			               "date_of_death", p->dod, "place", p->home->code));
		}
	} else if (chance(g, 1)) { /* a death record of a living person */
		char id[20];
		snprintf(id, sizeof id, "KT-%s", p->id);
		char dod[11];
		date_format(g->today - 1 - rnd(g, 300), dod);
		push(g, 2, id,
		     json_pack("{s:s, s:s, s:s, s:s}", "id", id, "person_id", p->id,
		               "date_of_death", dod, "place", p->home->code));
	}
	if (chance(g, 1)) { /* entered twice under another number */
		person twin = *p;
		new_person_id(g, p->home->province, p->female, p->year, twin.id);
		push(g, 0, twin.id, person_json(&twin, name, NULL, NULL, NULL));
		g->persons++;
		g->duplicates++;
	}
	if (chance(g, 1)) { /* a legacy record whose sex contradicts its number */
		person bad = *p;
		new_person_id(g, p->home->province, p->female, p->year, bad.id);
		bad.female = !bad.female;
		pending *r = push(g, 0, bad.id, person_json(&bad, name, NULL, NULL, NULL));
		r->valid = false;
		g->persons++;
		g->invalid++;
	}
}

static void add_business(gen *g, const char *rep, bool rep_dead, const commune *where)
{
	char d9[48], code[64];
	int check;
	do {
		long n = g->business_counter++;
		snprintf(d9, sizeof d9, "0%02d%06ld", (where->province % 100 + 100) % 100,
		         (n % 1000000 + 1000000) % 1000000);
		check = id_enterprise_check_digit(d9);
	} while (check < 0);
	snprintf(code, sizeof code, "%s%d", d9, check);
	const char *status;
	if (rep_dead && !chance(g, 300))
		status = "dissolved";
	else {
		int r = rnd(g, 100);
		status = r < 85 ? "active" : r < 93 ? "suspended" : "dissolved";
	}
	char *name = mc_xasprintf("%s %s %s %s", PICK(g, forms), PICK(g, trades),
	                          PICK(g, male_given), PICK(g, female_given));
	push(g, 1, code,
	     json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", code, "name", name, "address",
	               where->code, "legal_representative", rep, "status", status));
	g->businesses++;
	if (chance(g, 100)) {
		char branch[80];
		snprintf(branch, sizeof branch, "%s-001", code);
		char *bname = mc_xasprintf("Chi nhánh %s", name);
		const commune *bw = &g->communes[rnd(g, g->ncommunes)];
		push(g, 1, branch,
		     json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", branch, "name", bname, "address",
		               bw->code, "legal_representative", rep, "status", status));
		free(bname);
		g->businesses++;
	}
	free(name);
}

static void family(gen *g)
{
	const commune *home = &g->communes[rnd(g, g->ncommunes)];
	const char *fam = PICK(g, family_names);
	person f, m;
	int fy = g->year_now - 22 - rnd(g, 65);
	int my = fy + rnd(g, 8) - 2;
	if (my > g->year_now - 20)
		my = g->year_now - 20;
	make_person(g, &f, false, fy, fam, home);
	make_person(g, &m, true, my, PICK(g, family_names), home);
	char *fname = full_name(g, fam, false), *mname = full_name(g, m.family, true);
	bool married = chance(g, 850);
	bool reciprocal = !chance(g, 2);
	int nkids = rnd(g, 100);
	nkids = nkids < 10 ? 0 : nkids < 35 ? 1 : nkids < 75 ? 2 : nkids < 93 ? 3 : 4;
	int last_kid = 0;
	person kids[4];
	char *knames[4];
	int made = 0;
	for (int i = 0; i < nkids; i++) {
		int ky = my + 20 + rnd(g, 18);
		if (ky > g->year_now)
			break;
		bool kf = chance(g, 490);
		const commune *kh = chance(g, 100) ? &g->communes[rnd(g, g->ncommunes)] : home;
		make_person(g, &kids[made], kf, ky, fam, kh);
		if (strcmp(kids[made].dob, m.dob) <= 0 || strcmp(kids[made].dob, f.dob) <= 0)
			continue;
		knames[made] = full_name(g, fam, kf);
		if (ky > last_kid)
			last_kid = ky;
		made++;
	}
	maybe_die(g, &f, last_kid + 1);
	maybe_die(g, &m, last_kid + 1);
	add_person(g, &f, fname, NULL, NULL, married ? m.id : NULL);
	add_person(g, &m, mname, NULL, NULL, married && reciprocal ? f.id : NULL);
	for (int i = 0; i < made; i++) {
		add_person(g, &kids[i], knames[i], chance(g, 30) ? NULL : f.id, m.id, NULL);
		if (g->year_now - kids[i].year >= 22)
			remember_adult(g, &kids[i]);
		free(knames[i]);
	}
	remember_adult(g, &f);
	remember_adult(g, &m);
	if (chance(g, 80)) {
		const adult *rep = &g->reservoir[rnd(g, g->nreservoir)];
		add_business(g, rep->id, rep->dead, home);
	}
	free(fname);
	free(mname);
}

/* The demo citizens, their parents and child, and a business. */
static void demo_family(gen *g)
{
	const commune *hn = NULL, *hcm = NULL;
	for (int i = 0; i < g->ncommunes; i++) {
		if (!hn && strcmp(g->communes[i].code, "00004") == 0)
			hn = &g->communes[i];
		if (!hcm && g->communes[i].province == 79)
			hcm = &g->communes[i];
	}
	if (!hn || !hcm)
		return;
	struct {
		const char *id, *name, *dob, *sex;
		const commune *home;
		const char *father, *mother, *spouse;
	} fam[] = {
	    {"001060000101", "Nguyễn Văn Bình", "1960-03-12", "male", hn, NULL, NULL,
	     "001160000102"},
	    {"001160000102", "Lê Thị Hoa", "1962-07-20", "female", hn, NULL, NULL, "001060000101"},
	    {"001090012345", "Nguyễn Văn An", "1990-05-01", "male", hn, "001060000101",
	     "001160000102", "079190012346"},
	    {"079190012346", "Trần Thị Bình", "1990-09-15", "female", hcm, NULL, NULL,
	     "001090012345"},
	    {"001220000103", "Nguyễn Minh Khang", "2020-10-02", "male", hn, "001090012345",
	     "079190012346", NULL},
	};
	for (size_t i = 0; i < sizeof fam / sizeof fam[0]; i++) {
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", fam[i].id, "full_name",
		                      fam[i].name, "date_of_birth", fam[i].dob, "sex", fam[i].sex,
		                      "residence", fam[i].home->code);
		if (fam[i].father)
			json_object_set_new(o, "father_id", json_string(fam[i].father));
		if (fam[i].mother)
			json_object_set_new(o, "mother_id", json_string(fam[i].mother));
		if (fam[i].spouse)
			json_object_set_new(o, "spouse_id", json_string(fam[i].spouse));
		pending *p = push(g, 0, fam[i].id, o);
		ts_format(g->now - 86400 * 30, p->verified);
		g->persons++;
	}
	char d9[] = "010123456", code[64];
	snprintf(code, sizeof code, "%s%d", d9, id_enterprise_check_digit(d9));
	push(g, 1, code,
	     json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", code, "name",
	               "Công ty TNHH Dịch vụ An Bình", "address", "00004", "legal_representative",
	               "001090012345", "status", "active"));
	g->businesses++;
}

/* ---- writing --------------------------------------------------------------- */

typedef struct write_ctx {
	gen *g;
	reg_def defs[3];
	long written[3];
} write_ctx;

static mc_err write_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	write_ctx *x = vctx;
	gen *g = x->g;
	char now[32];
	ts_format(g->now, now);
	long written[3] = {0};
	for (size_t i = 0; i < g->nrows; i++) {
		pending *p = &g->rows[i];
		reg_row row = {.id = p->id,
		               .data = p->data,
		               .version = 1,
		               .valid = p->valid,
		               .created_at = now,
		               .updated_at = now,
		               .verified_at = p->verified[0] ? p->verified : NULL,
		               .actor = "seed",
		               .reason = "synthetic population"};
		bool inserted = false;
		mc_err e = reg_write_row(c, &x->defs[p->reg], &row, true, &inserted);
		if (e)
			return mc_fail(diag, e, "cannot write %s", p->id);
		written[p->reg] += inserted;
	}
	memcpy(x->written, written, sizeof written);
	return MC_OK;
}

static void clear_rows(gen *g)
{
	for (size_t i = 0; i < g->nrows; i++)
		json_decref(g->rows[i].data);
	g->nrows = 0;
}

typedef struct communes_ctx {
	gen *g;
} communes_ctx;

static mc_err communes_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	gen *g = ((communes_ctx *)vctx)->g;
	g->ncommunes = 0;
	char after[8] = "";
	for (;;) {
		territory_query q = {
		    .level = "commune", .after = after[0] ? after : NULL, .limit = 100};
		json_t *items = NULL;
		bool more = false;
		mc_err e = territory_unit_list(c, &q, &items, &more, diag);
		if (e)
			return e;
		size_t i;
		json_t *u;
		json_array_foreach(items, i, u)
		{
			const char *code = json_string_value(json_object_get(u, "code"));
			const char *parent = json_string_value(json_object_get(u, "parent"));
			if (!code || strlen(code) >= sizeof g->communes[0].code)
				continue;
			g->communes = mc_xrealloc(g->communes,
			                          (size_t)(g->ncommunes + 1) * sizeof *g->communes);
			commune *cm = &g->communes[g->ncommunes++];
			snprintf(cm->code, sizeof cm->code, "%s", code);
			cm->province = parent ? atoi(parent) : 1;
			char probe[13];
			snprintf(probe, sizeof probe, "%03d090000000", cm->province);
			if (id_person_parse(probe, NULL, NULL) != MC_OK)
				cm->province = 1;
			snprintf(after, sizeof after, "%s", code);
		}
		json_decref(items);
		if (!more)
			return MC_OK;
	}
}

typedef struct audit_ctx {
	long persons, businesses, deaths;
	unsigned long seed;
} audit_ctx;

static mc_err audit_fn(store_conn *c, void *vctx, mc_diag *diag)
{
	(void)diag;
	audit_ctx *a = vctx;
	json_t *detail = json_pack("{s:I, s:I, s:I, s:I}", "persons", (json_int_t)a->persons,
	                           "businesses", (json_int_t)a->businesses, "death_records",
	                           (json_int_t)a->deaths, "seed", (json_int_t)a->seed);
	mc_err e = audit_append(c, "system", "registry.seed", "registry", detail);
	json_decref(detail);
	return e;
}

mc_err registry_seed(store *s, long persons, unsigned long seed, FILE *log, mc_diag *diag)
{
	if (persons < 0 || persons > 5000000)
		return mc_fail(diag, MC_ERR_INVALID, "--persons must be 0..5000000");
	gen g = {.rng = seed * 0x2545f4914f6cdd1dULL + 1};
	g.now = ts_now();
	g.today = date_local_of(g.now);
	int m, d;
	date_to_ymd(g.today, &g.year_now, &m, &d);
	communes_ctx cc = {&g};
	write_ctx x = {.g = &g};
	long totals[3] = {0};
	mc_err e = store_read(s, communes_fn, &cc, diag);
	if (e)
		goto out;
	if (g.ncommunes == 0) {
		e = mc_fail(diag, MC_ERR_INVALID,
		            "no communes: load the administrative units first");
		goto out;
	}
	for (int i = 0; i < 3; i++) {
		json_t *b = reg_builtin(reg_builtin_names[i]);
		reg_def_bind(&x.defs[i], b);
		json_decref(b);
	}
	time_t t0 = time(NULL);
	demo_family(&g);
	while (g.persons < persons || g.nrows) {
		if (g.persons < persons && g.nrows < BATCH) {
			family(&g);
			continue;
		}
		if ((e = store_write(s, write_fn, &x, diag)))
			goto out;
		for (int i = 0; i < 3; i++)
			totals[i] += x.written[i];
		clear_rows(&g);
		if (log)
			fprintf(log, "  %ld persons generated\n", g.persons);
	}
	audit_ctx a = {totals[0], totals[1], totals[2], seed};
	if ((e = store_write(s, audit_fn, &a, diag)))
		goto out;
	if (log)
		fprintf(log,
		        "registries seeded in %lds: %ld persons, %ld businesses, %ld death records "
		        "written (generated: %ld persons, %ld deaths, %ld entered twice, %ld "
		        "invalid)\n",
		        (long)(time(NULL) - t0), totals[0], totals[1], totals[2], g.persons,
		        g.deaths, g.duplicates, g.invalid);
out:
	clear_rows(&g);
	free(g.rows);
	free(g.communes);
	for (int i = 0; i < 3; i++)
		if (x.defs[i].json)
			reg_def_release(&x.defs[i]);
	return e;
}
