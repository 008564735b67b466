/* ocr.h - digitization of scans: text extraction with Tesseract (Vietnamese
 * model) from PNG, JPEG and TIFF (decoded by Leptonica) and PDF (pages
 * rendered by pdftoppm of poppler-utils in a subprocess). A job is queued in
 * the same transaction as the upload (table ocr_job), so an acknowledged
 * upload never loses its job; a background worker claims jobs with a lease
 * (several nodes may run workers), extracts the text and stores it with an
 * entry in the full-text index "ocr". Officers search the text of the
 * documents attached to their agency's dossiers. Owns table ocr_job. */
#ifndef MC_OCR_H
#define MC_OCR_H

#include "http/http.h"
#include "store/store.h"
#include <stdbool.h>
#include <stddef.h>

#define OCR_MAX_PAGES 10                   /* pages read from a PDF or TIFF */
#define OCR_MAX_SIDE 10000                 /* pixels on the longer side of an image */
#define OCR_MAX_PIXELS (40L * 1000 * 1000) /* pixels of one page */
#define OCR_PDF_SCALE 2500                 /* PDF pages are rendered to this longer side */
#define OCR_TEXT_MAX (256 * 1024)          /* bytes of text kept per document */
#define OCR_LEASE_SECONDS 600              /* a claim expires after this */
#define OCR_MAX_ATTEMPTS 3                 /* claims before a job is failed */
#define OCR_QUERY_MAX 200                  /* bytes of a search query */
#define OCR_SEARCH_SCAN 1000               /* index hits examined per search */

/* ---- queue (store) ---- */

/* Queues the text extraction of a stored document, inside the upload's
 * write transaction. A document whose content (same SHA-256) was already
 * read is marked done at once with that text. */
mc_err ocr_enqueue(store_conn *c, const char *document_id, const char *sha256,
                   const char *media_type, const char *now);

/* A claimed job. */
typedef struct ocr_job {
	char document_id[64];
	char media_type[64];
	int attempts;
} ocr_job;

/* Claims the oldest queued job, or a running one whose lease expired, for
 * worker `worker` (durable write). *got false when there is none. A job
 * claimed OCR_MAX_ATTEMPTS times already is marked failed instead. */
mc_err ocr_claim(store *s, const char *worker, ocr_job *job, bool *got, mc_diag *diag);
/* Puts back in the queue the running jobs claimed by `worker` (a worker
 * that restarts after a crash takes them back without waiting for the
 * lease). *n = jobs put back. */
mc_err ocr_requeue_own(store *s, const char *worker, int *n, mc_diag *diag);
/* Stores the text of a claimed job (state done, full-text entry). Text is
 * cut at OCR_TEXT_MAX bytes (UTF-8 boundary). */
mc_err ocr_complete(store *s, const char *document_id, const char *text, int pages, mc_diag *diag);
/* Marks a claimed job failed with a reason. */
mc_err ocr_fail(store *s, const char *document_id, const char *reason, mc_diag *diag);

/* The job of a document: {document_id, state (queued|running|done|failed),
 * attempts, pages, text, error, created_at, updated_at}. NOT_FOUND. */
mc_err ocr_get(store_conn *c, const char *document_id, json_t **out, mc_diag *diag);

/* Searches extracted text (words, with or without diacritics) among the
 * documents visible to `who`: officers see documents attached to dossiers
 * their agency handles, admins all (citizens FORBIDDEN). Returns one page:
 * items [{document_id, dossiers [codes], pages, excerpt}] after skipping
 * `offset` visible hits; *more when more follow. INVALID for an empty or
 * too long query. */
mc_err ocr_search(store *s, const mc_principal *who, const char *query, int limit, int offset,
                  json_t **items, bool *more, mc_diag *diag);

/* ---- engine (no store) ---- */

/* Extracts the text of a scan (media type application/pdf, image/png,
 * image/jpeg or image/tiff) with Tesseract language `lang` ("vie"). Caps:
 * OCR_MAX_PAGES pages, OCR_MAX_SIDE / OCR_MAX_PIXELS per page
 * (UNPROCESSABLE beyond). UNAVAILABLE when the language data or pdftoppm is
 * missing. *text is malloc'ed UTF-8; *pages the pages read. */
mc_err ocr_extract(const char *media_type, const void *p, size_t n, const char *lang, char **text,
                   int *pages, mc_diag *diag);
/* Frees the engine of the calling thread (worker exit). */
void ocr_engine_release(void);

/* ---- measure (pure) ---- */

/* Character accuracy of `got` against `expected`: 1 - (Levenshtein distance
 * over Unicode code points) / (code points of expected), floored at 0,
 * after collapsing whitespace runs to one space and trimming both. 1.0 when
 * both are empty. Inputs longer than 20,000 code points are cut. */
double ocr_char_accuracy(const char *expected, const char *got);

/* ---- worker ---- */

/* Starts the background worker of this process (one thread). */
mc_err ocr_worker_start(mc_app *app, mc_diag *diag);
/* Asks the worker to look at the queue now (after a commit). No-op when no
 * worker runs. */
void ocr_worker_wake(void);
/* Stops the worker after the job in hand and joins it. */
void ocr_worker_stop(void);

extern const http_route ocr_routes[];

#endif
