package client

import (
	"encoding/json"
	"io"
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/twilioapi"
)

// The push registrar (ERS, reference §1.10): the SDK's
// setPushRegistrationId registers a device over twilsock, and Parley keeps
// it as a Binding of the service, where the REST Bindings resources list
// it and push delivery finds it.

// registerRegistrar adds the registrar's routes to mux.
func (a *API) registerRegistrar(mux *http.ServeMux) {
	mux.Handle("POST /v1/registrations", a.handle(a.register))
	mux.Handle("DELETE /v1/registrations", a.handle(a.unregisterDevice))
	mux.Handle("DELETE /v1/registrations/{sid}", a.handle(a.unregister))
}

type registrationRequest struct {
	EndpointPlatform string   `json:"endpoint_platform"`
	ChannelType      string   `json:"channel_type"`
	Version          string   `json:"version"`
	MessageTypes     []string `json:"message_types"`
	Data             struct {
		RegistrationID string `json:"registration_id"`
	} `json:"data"`
}

type registrationJSON struct {
	ID           string   `json:"id"`
	ChannelType  string   `json:"channel_type"`
	Address      string   `json:"address"`
	Identity     string   `json:"identity"`
	MessageTypes []string `json:"message_types"`
}

func decodeJSON(r *http.Request, v any) error {
	if err := json.NewDecoder(io.LimitReader(r.Body, 64<<10)).Decode(v); err != nil {
		return parley.Errorf(parley.CodeInvalidParameter, "The body must be a JSON object")
	}
	return nil
}

func (a *API) register(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	var req registrationRequest
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	b, err := a.app.Register(r.Context(), c, core.Registration{BindingType: req.ChannelType,
		Address: req.Data.RegistrationID, MessageTypes: req.MessageTypes})
	return twilioapi.Reply(w, http.StatusOK, err, func() any {
		return registrationJSON{ID: b.SID, ChannelType: b.BindingType, Address: b.Endpoint, Identity: b.Identity,
			MessageTypes: b.MessageTypes}
	})
}

// unregister removes the registration the SDK made (by its id).
func (a *API) unregister(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	return twilioapi.NoContent(w, a.app.Unregister(r.Context(), c, r.PathValue("sid"), "", ""))
}

// unregisterDevice removes the caller's registration of a device address,
// as the SDK does for a stale registration it no longer has the id of.
func (a *API) unregisterDevice(w http.ResponseWriter, r *http.Request, c *parley.Caller) error {
	var req struct {
		BindingType string `json:"binding_type"`
		Address     string `json:"address"`
	}
	if err := decodeJSON(r, &req); err != nil {
		return err
	}
	return twilioapi.NoContent(w, a.app.Unregister(r.Context(), c, "", req.BindingType, req.Address))
}
