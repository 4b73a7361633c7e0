package conversations

import (
	"net/http"

	"github.com/parley-dev/parley/internal/api/roles"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// maxAccessPageSize is the spec's PageSize maximum for roles, user
// conversations and participant conversations.
const maxAccessPageSize = 50

// registerAccess adds the routes for roles, service configuration, user conversations and participant conversations.
func (a *API) registerAccess(rt *twilioapi.Routes) {
	// The service configuration exists only service-scoped: /v1/Configuration
	// is the account's.
	rt.Handle("GET", "/v1/Services/{ChatServiceSid}/Configuration", a.fetchServiceConfiguration)
	rt.Handle("POST", "/v1/Services/{ChatServiceSid}/Configuration", a.updateServiceConfiguration)

	for _, prefix := range []string{"/v1", "/v1/Services/{ChatServiceSid}"} {
		roles.Register(rt, prefix, a.roles())

		rt.Handle("GET", prefix+"/Users/{UserSid}/Conversations", a.listUserConversations)
		rt.Handle("GET", prefix+"/Users/{UserSid}/Conversations/{ConversationSid}", a.fetchUserConversation)
		rt.Handle("POST", prefix+"/Users/{UserSid}/Conversations/{ConversationSid}", a.updateUserConversation)
		rt.Handle("DELETE", prefix+"/Users/{UserSid}/Conversations/{ConversationSid}", a.deleteUserConversation)

		rt.Handle("GET", prefix+"/ParticipantConversations", a.listParticipantConversations)
	}
}

// accessParams decodes a list request's parameters and its paging, capped at
// maxAccessPageSize.
func accessParams(w http.ResponseWriter, r *http.Request) (*twilioapi.Params, twilioapi.Paging, error) {
	p, err := twilioapi.ParseParams(w, r)
	if err != nil {
		return nil, twilioapi.Paging{}, err
	}
	pg, err := twilioapi.ParsePaging(p, maxAccessPageSize)
	return p, pg, err
}
