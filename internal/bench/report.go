package bench

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// Report is the outcome of a bench run, printed as a table and saved as JSON.
type Report struct {
	Engine   string    `json:"engine"`
	Target   string    `json:"target,omitempty"`
	Machine  Machine   `json:"machine"`
	Settings Settings  `json:"settings"`
	Started  time.Time `json:"started"`
	Seconds  float64   `json:"seconds"`
	Rows     []Row     `json:"rows"`
	// Skipped names the scenarios this build cannot run yet.
	Skipped []string `json:"skipped,omitempty"`
}

// Settings are the options that shape the figures.
type Settings struct {
	Duration string `json:"duration"`
	Count    int    `json:"count,omitempty"`
	Warmup   string `json:"warmup"`
	Rounds   int    `json:"rounds"`
	Depth    int    `json:"depth"`
	Large    bool   `json:"large"`
	PageSize int    `json:"page_size"`
}

func settingsOf(o Options) Settings {
	return Settings{Duration: o.Duration.String(), Count: o.Count, Warmup: o.Warmup.String(), Rounds: o.Rounds,
		Depth: o.Depth, Large: o.Large, PageSize: o.PageSize}
}

// Row is one measured scenario on one system, over all its rounds.
type Row struct {
	Scenario    string  `json:"scenario"`
	System      string  `json:"system"` // "parley", "floor" or "floor-gc" (group commit)
	Concurrency int     `json:"concurrency"`
	Ops         int     `json:"ops"`
	Errors      int     `json:"errors"`
	Seconds     float64 `json:"seconds"`
	OpsPerSec   float64 `json:"ops_per_sec"`
	// RoundsOpsPerSec shows the spread between the alternating rounds.
	RoundsOpsPerSec []float64 `json:"rounds_ops_per_sec"`
	P50Ms           float64   `json:"p50_ms"`
	P99Ms           float64   `json:"p99_ms"`
	// Ratio compares the row with what RatioOf names: Parley/floor
	// throughput for message creates, deep/first page p50 for lists.
	Ratio   *float64 `json:"ratio,omitempty"`
	RatioOf string   `json:"ratio_of,omitempty"`
	// RoundRatios is the throughput ratio of each pair of alternating
	// rounds: its spread shows how much of the ratio is drift.
	RoundRatios []float64 `json:"round_ratios,omitempty"`
	// RSSMiB and HeapMiB are the memory rows' readings: resident set size
	// of the Parley process, and its live heap after the last collection.
	RSSMiB  *float64 `json:"rss_mib,omitempty"`
	HeapMiB *float64 `json:"heap_mib,omitempty"`
	// PerConnectionKiB is the resident memory each idle client-SDK
	// connection added.
	PerConnectionKiB *float64 `json:"per_connection_kib,omitempty"`
	// Goal is the figure a memory row should stay under.
	Goal  string `json:"goal,omitempty"`
	Error string `json:"first_error,omitempty"`
}

func newRow(scenario, system string, conc int, s sample) Row {
	r := Row{Scenario: scenario, System: system, Concurrency: conc, Ops: s.ops, Errors: s.errors,
		Seconds: s.elapsed.Seconds(), OpsPerSec: s.rate(), RoundsOpsPerSec: s.rounds,
		P50Ms: s.percentile(0.5), P99Ms: s.percentile(0.99)}
	if s.firstErr != nil {
		r.Error = s.firstErr.Error()
	}
	return r
}

// ratio sets the row's ratio a/b, unless b is zero.
func (r *Row) ratio(a, b float64, of string) {
	if b > 0 {
		v := a / b
		r.Ratio, r.RatioOf = &v, of
	}
}

// ratioPerRound sets the row's per-round ratios against another row's rounds.
func (r *Row) ratioPerRound(of Row) {
	for i := range min(len(r.RoundsOpsPerSec), len(of.RoundsOpsPerSec)) {
		if of.RoundsOpsPerSec[i] > 0 {
			r.RoundRatios = append(r.RoundRatios, r.RoundsOpsPerSec[i]/of.RoundsOpsPerSec[i])
		}
	}
}

// failures reports the requests that failed, one line per row.
func (r *Report) failures() error {
	var errs []error
	for _, row := range r.Rows {
		if row.Errors > 0 || row.Error != "" {
			errs = append(errs, fmt.Errorf("%s (%s, C=%d): %d of %d requests failed, first: %s",
				row.Scenario, row.System, row.Concurrency, row.Errors, row.Ops, row.Error))
		}
	}
	return errors.Join(errs...)
}

// WriteTable prints the report as an aligned table.
func (r *Report) WriteTable(w io.Writer) error {
	under := r.Engine
	if r.Target != "" {
		under = r.Target + " (floor on " + r.Engine + ")"
	}
	fmt.Fprintf(w, "Parley bench on %s; %s; %d rounds of %s each, alternating\n", under, r.Machine, r.Settings.Rounds, r.runLength())
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "scenario\tsystem\tC\tops\tops/s\tp50 ms\tp99 ms\tratio")
	for _, row := range r.Rows {
		if row.RSSMiB != nil || row.HeapMiB != nil {
			fmt.Fprintf(tw, "%s\t%s\t\t%d\t\t\t\t%s\n", row.Scenario, row.System, row.Ops, row.memory())
			continue
		}
		ratio := ""
		if row.Ratio != nil {
			ratio = fmt.Sprintf("%.2fx %s", *row.Ratio, row.RatioOf)
		}
		if len(row.RoundRatios) > 1 {
			ratio += fmt.Sprintf(" (rounds %.2f-%.2f)", slices.Min(row.RoundRatios), slices.Max(row.RoundRatios))
		}
		if row.Errors > 0 {
			ratio += fmt.Sprintf(" (%d errors)", row.Errors)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.0f\t%.2f\t%.2f\t%s\n", row.Scenario, row.System, row.Concurrency,
			row.Ops, row.OpsPerSec, row.P50Ms, row.P99Ms, ratio)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range r.Skipped {
		fmt.Fprintf(w, "skipped: %s\n", s)
	}
	return nil
}

// memory describes a memory row's readings.
func (r Row) memory() string {
	var parts []string
	if r.RSSMiB != nil {
		parts = append(parts, fmt.Sprintf("RSS %.1f MiB", *r.RSSMiB))
	}
	if r.HeapMiB != nil {
		parts = append(parts, fmt.Sprintf("live heap %.1f MiB", *r.HeapMiB))
	}
	if r.PerConnectionKiB != nil {
		parts = append(parts, fmt.Sprintf("%.1f KiB per connection", *r.PerConnectionKiB))
	}
	if r.Goal != "" {
		parts = append(parts, "(goal: "+r.Goal+")")
	}
	return strings.Join(parts, ", ")
}

func (r *Report) runLength() string {
	if r.Settings.Count > 0 {
		return fmt.Sprintf("%d ops", r.Settings.Count)
	}
	return r.Settings.Duration
}

// WriteJSON saves the report as indented JSON.
func (r *Report) WriteJSON(path string) error {
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

// Machine describes where the figures were measured.
type Machine struct {
	CPUs      int    `json:"cpus"`
	CPUModel  string `json:"cpu_model"`
	MemoryGiB int    `json:"memory_gib"`
	OS        string `json:"os"`
	GoVersion string `json:"go_version"`
}

func (m Machine) String() string {
	return fmt.Sprintf("%d CPUs (%s), %d GiB, %s, %s", m.CPUs, m.CPUModel, m.MemoryGiB, m.OS, m.GoVersion)
}

func describeMachine() Machine {
	m := Machine{CPUs: runtime.NumCPU(), CPUModel: "unknown", OS: runtime.GOOS + "/" + runtime.GOARCH,
		GoVersion: runtime.Version()}
	if v := procField("/proc/cpuinfo", "model name"); v != "" {
		m.CPUModel = v
	}
	var kib int
	if _, err := fmt.Sscanf(procField("/proc/meminfo", "MemTotal"), "%d kB", &kib); err == nil {
		m.MemoryGiB = (kib + 1<<19) >> 20
	}
	return m
}

// procField is the value of the first "key : value" line of a /proc file.
func procField(path, key string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
