/*
 * What the files of feature/chat share, and nothing else uses: opening a
 * channel or a message under the policy, the steps the API (chat.c) and
 * the pages (pages.c) both take, so a rule is written once, the JSON of a
 * channel and a message (the API's and the live events'), and the inputs
 * both declare. Each step checks what it is given (policy, then input),
 * names the field at fault with req_fail() and returns 0 or an enum err.
 */
#ifndef PRAXIS_FEATURE_CHAT_INT_H
#define PRAXIS_FEATURE_CHAT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/str.h"
#include "feature/chat/model.h"
#include "feature/spaces/spaces.h"
#include "http/http.h"

struct json;

/*
 * Channel id with its space (zeroed for a conversation) when the caller
 * may read it: E_NOTFOUND "there is no such channel" for anyone who may
 * not, as if it did not exist.
 */
int chat_open(struct req *r, int64_t id, struct channel *c, struct space *s);
/* Message id, its channel and space, the same way ("there is no such message"). */
int chat_open_message(struct req *r, int64_t id, struct chat_message *m, struct channel *c,
                      struct space *s);
/* Whether the caller may write in c: 0, or E_PERM saying why (req_fail). */
int chat_may_post(struct req *r, const struct channel *c, const struct space *s);
/* The same as a yes or no, recording nothing. */
bool chat_can_post(struct req *r, const struct channel *c, const struct space *s);
/* Whether the caller facilitates c's space (never for a conversation). */
bool chat_moderates(struct req *r, const struct channel *c, const struct space *s);
/* Whether the caller may add people to c: a private channel's maker, or a facilitator. */
bool chat_may_add(struct req *r, const struct channel *c, const struct space *s);

/* The steps. */
int chat_create_channel(struct req *r, const struct space *s, struct str name, bool private,
                        const struct value *members, int64_t *id);
int chat_update(struct req *r, const struct channel *c, const struct space *s,
                const struct value *name, const struct value *read_only);
int chat_add_members(struct req *r, const struct channel *c, const struct space *s,
                     const struct value *handles);
int chat_start_dm(struct req *r, const struct value *handles, int64_t *id, bool *created);
int chat_post(struct req *r, const struct channel *c, const struct space *s, struct str body,
              int64_t *id);
int chat_edit(struct req *r, const struct channel *c, const struct chat_message *m,
              struct str body);
int chat_delete(struct req *r, const struct channel *c, const struct space *s,
                const struct chat_message *m);
int chat_make_topic(struct req *r, const struct channel *c, const struct chat_message *m,
                    struct str title, int64_t *topic_id, int64_t *post_id);
/* Move the caller's place in c to message_id (0: the newest message). */
int chat_read(struct req *r, const struct channel *c, int64_t message_id);

/*
 * A message as the API and the live events give it. An event (event set)
 * carries id, channel, space, author, body, html, created_at and
 * edited_at; the API adds deleted, topic and mine.
 */
void chat_message_json(struct req *r, struct json *j, const struct channel *c,
                       const struct chat_message *m, bool event);
/* A channel; members (NULL when not loaded) for private channels and conversations. */
void chat_channel_json(struct json *j, const struct channel *c, const struct chat_person *members,
                       size_t nmembers, bool can_post);
/* A direct conversation's title for its people: "Ana Lima and Ben Okafor". */
struct str chat_dm_title(struct req *r, const struct chat_person *people, size_t n);

/* Inputs, declared once for the API and the pages. */
enum { CB_BODY, CB__MAX };
extern const struct field chat_body_fields[CB__MAX];
enum { CC_NAME, CC_PRIVATE, CC_MEMBERS, CC__MAX };
extern const struct field chat_create_fields[CC__MAX];
enum { CU_NAME, CU_READ_ONLY, CU__MAX };
extern const struct field chat_update_fields[CU__MAX];
enum { CH_HANDLES, CH__MAX };
extern const struct field chat_handles_fields[CH__MAX];
enum { CT_TITLE, CT__MAX };
extern const struct field chat_topic_fields[CT__MAX];
enum { CL_BEFORE, CL__MAX };
extern const struct field chat_list_fields[CL__MAX];

/* The pages (pages.c), routed by chat.c. */
handler_fn chat_space_page, chat_create_page, chat_channel_page, chat_post_page;
handler_fn chat_edit_form, chat_edit_page, chat_delete_page, chat_topic_form, chat_topic_page;
handler_fn chat_dms_page, chat_dm_page, chat_members_page, chat_settings_page;

#endif
