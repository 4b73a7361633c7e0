package ratelimit

import (
	"net/http"
	"strings"
)

// Twilio's documented actions-per-second limits, enforced with --twilio-limits:
// 30 actions per second per conversation for conversation update,
// participant and message create/update/delete (Chat adds invites), and 30
// per service for conversation create/delete, user and role
// create/update/delete (Chat adds binding delete). Reads are not limited.
// https://www.twilio.com/docs/conversations/conversations-limits,
// https://www.twilio.com/en-us/changelog/increasing-actions-per-second-for-conversations-,
// https://www.twilio.com/en-us/changelog/increasing-actions-per-second-for-chat
const twilioActionsPerSecond = 30

// scope is what one Twilio limit counts against.
type scope int

const (
	noScope scope = iota
	perConversation
	perService
)

func (s scope) String() string {
	switch s {
	case perConversation:
		return "conversation"
	case perService:
		return "service"
	}
	return ""
}

// twilioScope classifies a write by its route pattern (e.g.
// "/v1/Services/{ChatServiceSid}/Conversations/{ConversationSid}/Messages")
// and the request path, returning the scope and the SID (or unique name) of
// the conversation or service it counts against.
func twilioScope(method, pattern, path string) (scope, string) {
	if method != http.MethodPost && method != http.MethodDelete {
		return noScope, ""
	}
	pat := strings.Split(strings.Trim(pattern, "/"), "/")
	got := strings.Split(strings.Trim(path, "/"), "/")
	if len(pat) != len(got) || len(pat) < 2 {
		return noScope, ""
	}
	// The resources of a service sit after "v1" or after "Services/{sid}".
	service, top := "default", 1
	if len(pat) >= 4 && pat[1] == "Services" && isWildcard(pat[2]) {
		service, top = got[2], 3
	}
	if len(pat) <= top {
		return noScope, ""
	}
	item := len(pat) > top+1 && isWildcard(pat[top+1]) // .../Conversations/{sid}...
	switch pat[top] {
	case "Conversations", "Channels":
		switch {
		case !item: // create
			if len(pat) == top+1 {
				return perService, service
			}
		case len(pat) == top+2: // the conversation itself
			if method == http.MethodDelete {
				return perService, service
			}
			return perConversation, got[top+1]
		case len(pat) <= top+4 && isConversationPart(pat[top+2]):
			return perConversation, got[top+1]
		}
	case "ConversationWithParticipants":
		return perService, service
	case "Users", "Roles":
		if len(pat) <= top+2 {
			return perService, service
		}
	case "Bindings":
		if method == http.MethodDelete && len(pat) == top+2 {
			return perService, service
		}
	}
	return noScope, ""
}

func isWildcard(seg string) bool { return strings.HasPrefix(seg, "{") }

func isConversationPart(seg string) bool {
	switch seg {
	case "Participants", "Messages", "Members", "Invites":
		return true
	}
	return false
}
