package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// buildDate is set by release builds:
//
//	go build -ldflags "-X main.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)" ./cmd/parley
//
// Go records no build time of its own (builds are reproducible), so
// without it `parley version` shows the commit's time instead.
var buildDate string

// versionInfo is what `parley version` prints.
type versionInfo struct {
	Module, Version, Commit, Date, DateSource, Go, Platform string
	Modified                                                bool
}

// readVersion reads the version the Go toolchain stamped into the binary:
// the module version (a tag for `go install ...@vX`, "(devel)" for a
// build from a checkout) and the VCS commit and time of a checkout build.
func readVersion() versionInfo {
	v := versionInfo{Module: "github.com/parley-dev/parley", Version: "(unknown)", Commit: "(unknown)",
		Date: "(unknown)", Go: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH}
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Path != "" {
			v.Module = bi.Main.Path
		}
		if bi.Main.Version != "" {
			v.Version = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				v.Commit = s.Value
			case "vcs.time":
				v.Date, v.DateSource = s.Value, "commit time"
			case "vcs.modified":
				v.Modified = s.Value == "true"
			}
		}
	}
	if buildDate != "" {
		v.Date, v.DateSource = buildDate, "build time"
	}
	return v
}

func printVersion(args []string, stdout io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintln(stdout, "usage: parley version\n\nPrints the module version, VCS commit, build date and Go version.")
		return nil
	}
	if len(args) > 0 {
		return fmt.Errorf("version: unexpected argument %q", args[0])
	}
	v := readVersion()
	commit := v.Commit
	if v.Modified {
		commit += " (with uncommitted changes)"
	}
	date := v.Date
	if v.DateSource != "" {
		date += " (" + v.DateSource + ")"
	}
	fmt.Fprintf(stdout, "parley %s\nmodule: %s\ncommit: %s\ndate:   %s\ngo:     %s %s\n",
		v.Version, v.Module, commit, date, v.Go, v.Platform)
	return nil
}
