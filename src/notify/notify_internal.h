/* notify_internal.h - what the files of the notify module share: a copy of
 * the channel configuration and the two senders. Not for other modules. */
#ifndef MC_NOTIFY_INTERNAL_H
#define MC_NOTIFY_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* A private copy of the configuration (strings malloc'ed). */
typedef struct notify_channels {
	char *smtp_url, *smtp_from, *sms_url;
	long retry_base, poll_ms;
} notify_channels;

/* Copies the process configuration into *out (free with
 * notify_channels_free). */
void notify_config_copy(notify_channels *out);
void notify_channels_free(notify_channels *ch);

/* Sends one e-mail through the SMTP server at `url` (libcurl). On failure
 * writes a short reason without the URL (it may hold credentials) into
 * err; err[0] stays '\0' on success. */
void notify_send_email(const char *url, const char *from, const char *to, const char *subject,
                       const char *body, int64_t delivery_id, char *err, size_t errlen);

/* POSTs {"to", "text"} to the SMS gateway at `url` (libcurl); a 2xx answer
 * is success. Errors as notify_send_email. */
void notify_send_sms(const char *url, const char *to, const char *subject, const char *body,
                     char *err, size_t errlen);

#endif
