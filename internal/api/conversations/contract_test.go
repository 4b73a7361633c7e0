package conversations_test

import (
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/parley-dev/parley/internal/apitest"
)

// TestMain runs the package's tests, then the contract check: every
// operation of the Conversations v1 spec must have been answered with a
// spec-valid success by some test, so a new operation cannot go untested.
// The check is skipped when -run selects a subset of tests.
func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" {
		code = checkContract()
	}
	os.Exit(code)
}

func checkContract() int {
	spec, err := apitest.LoadSpec("twilio_conversations_v1")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	var missing []string
	ops := spec.Operations()
	for _, op := range ops {
		if !spec.Hit(op) {
			missing = append(missing, op)
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(os.Stderr, "contract: %d of %d Conversations v1 operations have no test with a spec-valid success:\n", len(missing), len(ops))
		for _, op := range missing {
			fmt.Fprintln(os.Stderr, "  ", op)
		}
		return 1
	}
	fmt.Printf("contract: all %d Conversations v1 operations answered with spec-valid successes\n", len(ops))
	return 0
}
