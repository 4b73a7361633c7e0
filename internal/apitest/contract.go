package apitest

import (
	"flag"
	"fmt"
	"os"
	"testing"
)

// RunWithContract runs a package's tests (call it from TestMain), then the
// contract check: every operation of each named spec must have been
// answered with a spec-valid success by some test of the package, so a new
// operation cannot go untested. The check is skipped when -run selects a
// subset of tests. It returns the exit code.
func RunWithContract(m *testing.M, specNames ...string) int {
	flag.Parse()
	code := m.Run()
	if code != 0 || flag.Lookup("test.run").Value.String() != "" {
		return code
	}
	for _, name := range specNames {
		if !contractHolds(name) {
			code = 1
		}
	}
	return code
}

// notYetServed are operations of vendored specs that no Parley surface
// serves yet, so the contract does not ask for them.
var notYetServed = map[string]bool{}

func contractHolds(name string) bool {
	spec, err := LoadSpec(name)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return false
	}
	var missing, ops []string
	for _, op := range spec.Operations() {
		if notYetServed[op] {
			continue
		}
		ops = append(ops, op)
		if !spec.Hit(op) {
			missing = append(missing, op)
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(os.Stderr, "contract: %d of %d operations of %s have no test with a spec-valid success:\n", len(missing), len(ops), name)
		for _, op := range missing {
			fmt.Fprintln(os.Stderr, "  ", op)
		}
		return false
	}
	fmt.Printf("contract: all %d served operations of %s answered with spec-valid successes\n", len(ops), name)
	return true
}
