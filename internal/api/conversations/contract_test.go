package conversations_test

import (
	"os"
	"testing"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestMain fails the package when an operation of the Conversations v1 spec
// has no test that got a spec-valid success from it.
func TestMain(m *testing.M) {
	os.Exit(apitest.RunWithContract(m, "twilio_conversations_v1"))
}
