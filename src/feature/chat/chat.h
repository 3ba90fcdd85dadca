/*
 * Chat: channels in every space (its general channel, public ones and
 * private ones for the people invited), direct conversations between a
 * few people, and their messages in short Markdown, with each member's
 * unread counts; a message can become a discussion topic. A space's
 * channels are visible exactly as their space is (spaces_open()), a
 * private channel and a conversation only to the people in them. The API
 * and the pages share the steps in chat_int.h; docs/chat.md tells the
 * whole of it.
 */
#ifndef PRAXIS_FEATURE_CHAT_H
#define PRAXIS_FEATURE_CHAT_H

#include <stdint.h>

#include "http/http.h"

/* The API (/api/v1/spaces/{slug}/channels, /api/v1/channels, /api/v1/dm…) and the pages. */
extern const struct feature feature_chat;

/*
 * Whether the caller may read channel id: 0 with *space_id set (0 for a
 * direct conversation), else E_NOTFOUND, the same for a channel that does
 * not exist and one the caller may not see (after req_fail() said so), or
 * a database error. For the live stream's subscriptions.
 */
int chat_open_channel(struct req *r, int64_t id, int64_t *space_id);

#endif
