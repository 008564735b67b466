/* portal_http.c - the portal's route table. Every route is public at the
 * server's auth stage: the portal reads its own session cookie (portal.c)
 * and sends anonymous visitors of private pages to the login form. Form
 * posts take any body (the handler accepts urlencoded or multipart). */
#include "portal/portal.h"
#include "portal/portal_internal.h"

const http_route portal_routes[] = {
    {"GET", "/", pt_h_home, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/assets/{file}", pt_h_asset, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/thu-tuc", pt_h_search, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/thu-tuc/{code}", pt_h_procedure, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/dang-nhap", pt_h_login, ACCESS_PUBLIC, BODY_NONE},
    {"POST", "/dang-nhap", pt_h_login_post, ACCESS_PUBLIC, BODY_RAW},
    {"POST", "/dang-xuat", pt_h_logout, ACCESS_PUBLIC, BODY_RAW},
    {"GET", "/so-lieu", pt_h_scoreboard, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/du-lieu-mo", pt_h_opendata, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/du-lieu-mo/{name}", pt_h_dataset, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/ho-so", pt_h_dossiers, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/ho-so/{code}", pt_h_dossier, ACCESS_PUBLIC, BODY_NONE},
    {"POST", "/ho-so/{code}", pt_h_dossier_post, ACCESS_PUBLIC, BODY_RAW},
    {"GET", "/danh-gia", pt_h_rating_office, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/ho-so/{code}/danh-gia", pt_h_rating, ACCESS_PUBLIC, BODY_NONE},
    {"POST", "/ho-so/{code}/danh-gia", pt_h_rating_post, ACCESS_PUBLIC, BODY_RAW},
    {"POST", "/ho-so/{code}/phan-anh", pt_h_feedback_post, ACCESS_PUBLIC, BODY_RAW},
    {"POST", "/ho-so/{code}/phan-anh/{id}/tra-loi", pt_h_feedback_answer_post, ACCESS_PUBLIC,
     BODY_RAW},
    {"GET", "/nop/{code}", pt_h_apply, ACCESS_PUBLIC, BODY_NONE},
    {"POST", "/nop/{code}", pt_h_apply_post, ACCESS_PUBLIC, BODY_RAW},
    {"GET", "/tep/{id}", pt_h_file, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/kho", pt_h_vault, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/de-xuat", pt_h_offers, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/de-xuat/{id}", pt_h_offer, ACCESS_PUBLIC, BODY_NONE},
    {"POST", "/de-xuat/{id}", pt_h_offer_post, ACCESS_PUBLIC, BODY_RAW},
    {"GET", "/hop-thu", pt_h_inbox, ACCESS_PUBLIC, BODY_NONE},
    {"POST", "/hop-thu/lien-he", pt_h_inbox_contact, ACCESS_PUBLIC, BODY_RAW},
    {"GET", "/hop-thu/{id}", pt_h_inbox_message, ACCESS_PUBLIC, BODY_NONE},
    {"POST", "/hop-thu/{id}", pt_h_inbox_read, ACCESS_PUBLIC, BODY_RAW},
    {"GET", "/du-lieu-cua-toi", pt_h_privacy_log, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/dong-y", pt_h_consents, ACCESS_PUBLIC, BODY_NONE},
    {"POST", "/dong-y", pt_h_consents_post, ACCESS_PUBLIC, BODY_RAW},
    {"GET", "/xac-thuc", pt_h_verify, ACCESS_PUBLIC, BODY_NONE},
    {"GET", "/xac-thuc/{id}", pt_h_verify_id, ACCESS_PUBLIC, BODY_NONE},
    {0},
};
