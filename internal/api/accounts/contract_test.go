package accounts_test

import (
	"os"
	"testing"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestMain fails the package when an Accounts or Keys operation of the 2010
// spec has no test that got a spec-valid success from it.
func TestMain(m *testing.M) {
	os.Exit(apitest.RunWithContract(m, "twilio_api_v2010_accounts_keys_numbers"))
}
