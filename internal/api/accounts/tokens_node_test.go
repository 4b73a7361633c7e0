package accounts_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	api "github.com/twilio/twilio-go/rest/api/v2010"

	parley "github.com/parley-dev/parley"
	"github.com/parley-dev/parley/internal/apitest"
)

// mintJS mints a token with twilio-node's jwt.AccessToken, as a Node
// backend does: argv = account, key, secret, identity, service, ttl.
const mintJS = `const twilio = require('twilio');
const [acct, key, secret, identity, service, ttl] = process.argv.slice(2);
const t = new twilio.jwt.AccessToken(acct, key, secret, { identity, ttl: Number(ttl) });
if (service) t.addGrant(new twilio.jwt.AccessToken.ChatGrant({ serviceSid: service }));
process.stdout.write(t.toJwt());
`

// TestTwilioNodeTokens: tokens minted by twilio-node verify, and its bad
// tokens get the same codes (twilio-node itself refuses to mint one
// without an identity). It borrows the twilio package pinned by the client
// SDK test project (internal/sdktest/node, installed by npm ci in CI and by
// that package's own tests), so it skips until that project is installed.
func TestTwilioNodeTokens(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "..", "sdktest", "node"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node is not installed")
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "twilio")); err != nil {
		t.Skip("internal/sdktest/node is not installed (cd internal/sdktest/node && npm ci)")
	}
	script := filepath.Join(t.TempDir(), "mint.js")
	if err := os.WriteFile(script, []byte(mintJS), 0o644); err != nil {
		t.Fatal(err)
	}
	apitest.Engines(t, func(t *testing.T, engine string) {
		env := apitest.Start(t, engine)
		app := verifier(t, env)
		k, err := env.Twilio().Api.CreateNewKey(&api.CreateNewKeyParams{})
		if err != nil {
			t.Fatal(err)
		}
		mint := func(secret, identity, service string, ttl int) string {
			cmd := exec.Command("node", script, env.AccountSID, *k.Sid, secret, identity, service, strconv.Itoa(ttl))
			cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(dir, "node_modules"))
			out, err := cmd.Output()
			if err != nil {
				var stderr []byte
				if ee, ok := err.(*exec.ExitError); ok {
					stderr = ee.Stderr
				}
				t.Fatalf("node: %v\n%s", err, stderr)
			}
			return strings.TrimSpace(string(out))
		}
		svc := env.Server.Account.DefaultServiceSID
		p, err := app.VerifyToken(context.Background(), mint(*k.Secret, "alice", svc, 3600))
		if err != nil || p.Identity != "alice" || p.ServiceSID != svc || p.Account.SID != env.AccountSID {
			t.Fatalf("twilio-node token: %+v %v", p, err)
		}
		for _, c := range []struct {
			name  string
			token string
			code  int
		}{
			{"wrong secret", mint("not the secret", "alice", "", 3600), 20107},
			{"over 24 h", mint(*k.Secret, "alice", "", 25*3600), 20157},
		} {
			if _, err := app.VerifyToken(context.Background(), c.token); parley.ErrorCode(err) != c.code {
				t.Errorf("%s: %v, want %d", c.name, err, c.code)
			}
		}
	})
}
