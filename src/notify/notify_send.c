/* notify_send.c - the two delivery channels, through libcurl: e-mail to an
 * SMTP server (MIME text from notify_mime) and SMS as a JSON POST {to,
 * text} to an HTTP gateway. Each call is one bounded attempt (10 s); the
 * caller records the outcome and schedules retries. */
#include "notify/notify.h"

#include "core/date.h"
#include "core/mem.h"
#include "notify/notify_internal.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SEND_TIMEOUT 10L

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_start(void)
{
	curl_global_init(CURL_GLOBAL_DEFAULT);
}

typedef struct upload {
	const char *p;
	size_t left;
} upload;

static size_t read_cb(char *buf, size_t size, size_t n, void *cls)
{
	upload *u = cls;
	size_t k = size * n < u->left ? size * n : u->left;
	memcpy(buf, u->p, k);
	u->p += k;
	u->left -= k;
	return k;
}

static size_t sink_cb(char *p, size_t size, size_t n, void *cls)
{
	(void)p;
	(void)cls;
	return size * n;
}

void notify_send_email(const char *url, const char *from, const char *to, const char *subject,
                       const char *body, int64_t delivery_id, char *err, size_t errlen)
{
	pthread_once(&curl_once, curl_start);
	err[0] = '\0';
	char seed[64];
	snprintf(seed, sizeof seed, "notify.%lld.%lld", (long long)delivery_id,
	         (long long)ts_now());
	char *mime = notify_mime(from, to, subject, body, ts_now(), seed);
	upload u = {mime, strlen(mime)};
	CURL *h = curl_easy_init();
	struct curl_slist *rcpt = NULL;
	if (!h) {
		snprintf(err, errlen, "cannot start libcurl");
		goto out;
	}
	char addr[NOTIFY_EMAIL_MAX + 3];
	snprintf(addr, sizeof addr, "<%s>", to);
	rcpt = curl_slist_append(rcpt, addr);
	char sender[NOTIFY_EMAIL_MAX + 3];
	snprintf(sender, sizeof sender, "<%s>", from);
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, sender);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, read_cb);
	curl_easy_setopt(h, CURLOPT_READDATA, &u);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, SEND_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	CURLcode rc = curl_easy_perform(h);
	if (rc != CURLE_OK) {
		long code = 0;
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
		if (code)
			snprintf(err, errlen, "SMTP %ld: %s", code, curl_easy_strerror(rc));
		else
			snprintf(err, errlen, "SMTP: %s", curl_easy_strerror(rc));
	}
out:
	curl_slist_free_all(rcpt);
	if (h)
		curl_easy_cleanup(h);
	free(mime);
}

void notify_send_sms(const char *url, const char *to, const char *subject, const char *body,
                     char *err, size_t errlen)
{
	(void)body;
	pthread_once(&curl_once, curl_start);
	err[0] = '\0';
	/* the subject is the text: short, and at most NOTIFY_SUBJECT_MAX bytes */
	json_t *j = json_pack("{s:s, s:s}", "to", to, "text", subject);
	char *payload = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	CURL *h = curl_easy_init();
	struct curl_slist *hdr = NULL;
	if (!h) {
		snprintf(err, errlen, "cannot start libcurl");
		goto out;
	}
	hdr = curl_slist_append(hdr, "Content-Type: application/json");
	curl_easy_setopt(h, CURLOPT_URL, url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(h, CURLOPT_POSTFIELDS, payload);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink_cb);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, SEND_TIMEOUT);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	CURLcode rc = curl_easy_perform(h);
	long code = 0;
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (rc != CURLE_OK)
		snprintf(err, errlen, "SMS gateway: %s", curl_easy_strerror(rc));
	else if (code < 200 || code > 299)
		snprintf(err, errlen, "SMS gateway answered HTTP %ld", code);
out:
	curl_slist_free_all(hdr);
	if (h)
		curl_easy_cleanup(h);
	free(payload);
}
