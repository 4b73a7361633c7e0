package server

import (
	"log/slog"

	parley "github.com/parley-dev/parley"
	"net/http"

	"github.com/parley-dev/parley/internal/api/client"
	"github.com/parley-dev/parley/internal/core"
	"github.com/parley-dev/parley/internal/metrics"
	"github.com/parley-dev/parley/internal/syncview"
	"github.com/parley-dev/parley/internal/twilioapi"
	"github.com/parley-dev/parley/internal/twilsock"
)

// clientSDK is the endpoint the official client SDKs connect to
// (/v3/wsconnect): twilsock sessions whose upstream requests reach the
// client API and the virtual Sync in process. The client API is returned
// too: a shutdown flushes it.
func clientSDK(app *core.App, publicURL string, hub *syncview.Hub, presence *client.Presence, clk parley.Clock, m *metrics.Metrics, log *slog.Logger) (*twilsock.Server, *client.API) {
	mux := http.NewServeMux()
	api := client.New(app, publicURL, hub)
	api.Register(mux)
	syncview.New(app, publicURL, hub).Register(mux)
	mux.Handle("/", twilioapi.HandlerFunc(twilioapi.NotFound))
	sdk := twilsock.New(twilsock.Config{Verifier: app, Sessions: api, Handler: twilioapi.WithLogger(log, twilioapi.Recover(mux)),
		Logger: log, Observer: m, Presence: presence, Now: clk.Now})
	m.WatchSDK(sdk.Connections)
	return sdk, api
}
