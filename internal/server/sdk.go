package server

import (
	"context"
	"log/slog"
	"net/http"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/api/client"
	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/syncview"
	"github.com/parley-dev/parley/internal/twilioapi"
	"github.com/parley-dev/parley/internal/twilsock"
)

// clientSDK is the endpoint the official client SDKs connect to
// (/v3/wsconnect): twilsock sessions whose upstream requests reach the
// client API and the virtual Sync in process.
func clientSDK(app *core.App, verifier twilsock.Verifier, publicURL string, log *slog.Logger) *twilsock.Server {
	mux := http.NewServeMux()
	api := client.New(app, publicURL)
	api.Register(mux)
	syncview.New(app, publicURL).Register(mux)
	mux.Handle("/", twilioapi.HandlerFunc(twilioapi.NotFound))
	if verifier == nil {
		verifier = noTokens{}
	}
	return twilsock.New(twilsock.Config{Verifier: verifier, Sessions: api, Handler: twilioapi.Recover(mux), Logger: log})
}

// noTokens refuses every access token until API keys and token
// verification exist.
type noTokens struct{}

func (noTokens) VerifyToken(context.Context, string) (*parley.Caller, error) {
	return nil, parley.Errorf(20101, "Invalid Access Token: this server does not verify access tokens yet")
}
