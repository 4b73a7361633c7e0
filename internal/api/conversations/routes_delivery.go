package conversations

import "github.com/parley-dev/parley/internal/twilioapi"

// registerDelivery adds the routes for bindings, delivery receipts and ConversationWithParticipants.
func (a *API) registerDelivery(rt *twilioapi.Routes) {
	// Push bindings exist only per service: the spec has no short route.
	rt.Handle("GET", "/v1/Services/{ChatServiceSid}/Bindings", a.listBindings)
	rt.Handle("GET", "/v1/Services/{ChatServiceSid}/Bindings/{Sid}", a.fetchBinding)
	rt.Handle("DELETE", "/v1/Services/{ChatServiceSid}/Bindings/{Sid}", a.deleteBinding)

	for _, prefix := range []string{"/v1", "/v1/Services/{ChatServiceSid}"} {
		receipts := prefix + "/Conversations/{ConversationSid}/Messages/{MessageSid}/Receipts"
		rt.Handle("GET", receipts, a.listReceipts)
		rt.Handle("GET", receipts+"/{Sid}", a.fetchReceipt)

		rt.Handle("POST", prefix+"/ConversationWithParticipants", a.createConversationWithParticipants)
	}
}
