package lsp

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vpcgate/vpcgate/internal/tfgen"
)

// typingEdits is the length of a replayed typing session.
const typingEdits = 1000

// BenchmarkTyping replays a typing session of typingEdits incremental
// didChange notifications in one file of a generated Terraform workspace —
// a tag value typed and erased character by character, a port number and
// a CIDR edited through invalid states, SSH opened to the world and closed
// again — over an in-process pipe. Keystrokes come in bursts: within one,
// the next edit follows 15 ms later (faster than an analysis, so analyses
// are superseded and cancelled); after the last edit of a burst the typist
// pauses until the server has settled it.
//
// Latency is server side, from sending the didChange of a burst's last
// edit to its analysis being published (Options.Settled fires after the
// publishDiagnostics, or when no file's diagnostics changed). Reported:
// latency p50, p95 and max (ms) over the settled bursts; publishes per
// settled burst and analyses per edit; the live heap after a GC at edit
// 100 and edit 1,000 (MB); process CPU time per edit (ms). It fails if a
// file was published more often than there were analyses (at most one
// publish per file per settled analysis) or if an edit never settles.
//
//	go test ./lsp -run '^$' -bench Typing -benchtime 1x
func BenchmarkTyping(b *testing.B) {
	defer setGCPercent(Options{})() // as Serve does for vpcgate lsp
	for _, tc := range []struct {
		name         string
		vpcs, perVPC int
		stacks       bool
	}{
		{"module-300", 3, 100, false},  // one root module of 300 resources in 3 files
		{"stacks-5000", 50, 100, true}, // 50 root modules (one VPC each), 5,000 resources
	} {
		b.Run(tc.name, func(b *testing.B) {
			var all, engine, publish, overhead []time.Duration
			var st sessionStats
			for b.Loop() {
				dir := b.TempDir()
				dir, _ = filepath.EvalSymlinks(dir)
				files, err := tfgen.Write(dir, tc.vpcs, tc.perVPC, tc.stacks)
				if err != nil {
					b.Fatal(err)
				}
				s, _ := typingSession(b, dir, files[1], typingEdits)
				all = append(all, s.latencies...)
				engine = append(engine, s.engine...)
				publish = append(publish, s.publish...)
				for i, l := range s.latencies {
					overhead = append(overhead, l-s.engine[i]-s.publish[i])
				}
				st = s
			}
			for _, l := range [][]time.Duration{all, engine, publish, overhead} {
				sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
			}
			ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
			b.ReportMetric(ms(quantile(all, 0.50)), "p50-ms")
			b.ReportMetric(ms(quantile(all, 0.95)), "p95-ms")
			b.ReportMetric(ms(all[len(all)-1]), "max-ms")
			b.ReportMetric(ms(quantile(engine, 0.50)), "engine-p50-ms")
			b.ReportMetric(ms(quantile(engine, 0.95)), "engine-p95-ms")
			b.ReportMetric(ms(quantile(publish, 0.95)), "publish-p95-ms")
			// The rest: the debounce, waiting for a superseded analysis
			// to stop, scheduling.
			b.ReportMetric(ms(quantile(overhead, 0.50)), "wait-p50-ms")
			b.ReportMetric(ms(quantile(overhead, 0.95)), "wait-p95-ms")
			b.ReportMetric(float64(st.publishes)/float64(len(st.latencies)), "publishes/burst")
			b.ReportMetric(float64(st.analyses)/float64(typingEdits), "analyses/edit")
			b.ReportMetric(float64(st.heap100)/(1<<20), "heapMB@100")
			b.ReportMetric(float64(st.heap1000)/(1<<20), "heapMB@1000")
			b.ReportMetric(ms(st.cpu)/typingEdits, "cpu-ms/edit")
			b.Logf("%s: %d bursts, %d publishes (%v by file), %d analyses (%d failed), heap %.1f → %.1f MB",
				tc.name, len(st.latencies), st.publishes, st.byFile, st.analyses, st.failed, float64(st.heap100)/(1<<20), float64(st.heap1000)/(1<<20))
		})
	}
}

func quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

type sessionStats struct {
	latencies         []time.Duration
	engine, publish   []time.Duration // of the analysis that settled each burst
	publishes         int
	byFile            map[string]int
	analyses, failed  int
	heap100, heap1000 uint64
	cpu               time.Duration
}

// settleLog records the server's settled analyses.
type settleLog struct {
	mu       sync.Mutex
	path     string
	version  int32     // the newest version of path settled
	at       time.Time // when it settled
	last     Settlement
	analyses int
	failed   int
	changed  chan struct{}
}

func (l *settleLog) settled(s Settlement) {
	now := time.Now()
	l.mu.Lock()
	l.analyses++
	if s.Err != nil {
		l.failed++
	}
	if v, ok := s.Versions[l.path]; ok && v > l.version {
		l.version, l.at, l.last = v, now, s
	}
	l.mu.Unlock()
	select {
	case l.changed <- struct{}{}:
	default:
	}
}

// wait returns when version v of the file has settled, when, and the
// settlement.
func (l *settleLog) wait(tb testing.TB, v int32) (time.Time, Settlement) {
	deadline := time.After(2 * time.Minute)
	for {
		l.mu.Lock()
		ok, at, last := l.version >= v, l.at, l.last
		l.mu.Unlock()
		if ok {
			return at, last
		}
		select {
		case <-l.changed:
		case <-deadline:
			tb.Fatalf("version %d never settled", v)
		}
	}
}

// typingSession opens file in a server analysing dir and replays edits
// edits of the typing script (the heap is measured at edit 100 and the
// last).
func typingSession(b testing.TB, dir, file string, edits int) (sessionStats, *client) {
	log := &settleLog{path: file, changed: make(chan struct{}, 1)}
	c := startClient(b, dir, nil, Options{Settled: log.settled})
	c.wait()
	name, _ := filepath.Rel(dir, file)
	name = filepath.ToSlash(name)
	c.open(name)
	c.wait()
	c.mu.Lock()
	before := map[string]int{}
	for p, n := range c.pubs {
		before[p] = n
	}
	c.mu.Unlock()
	log.mu.Lock()
	analyses0 := log.analyses
	log.mu.Unlock()

	var st sessionStats
	script := typingScript()
	cpu0 := cpuTime()
	for i := 0; i < edits; i++ {
		step := script[i%len(script)]
		start, end, text := step.edit(c.text(name))
		sent := time.Now()
		c.edit(name, start, end, text)
		v := c.vers[name]
		if !step.pause && i != 99 && i != edits-1 {
			time.Sleep(15 * time.Millisecond)
			continue
		}
		at, settled := log.wait(b, v)
		st.latencies = append(st.latencies, at.Sub(sent))
		st.engine = append(st.engine, settled.Engine)
		st.publish = append(st.publish, settled.Publish)
		if i == 99 || i == edits-1 {
			c.wait()
			runtime.GC()
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			if i == 99 {
				st.heap100 = m.HeapAlloc
			} else {
				st.heap1000 = m.HeapAlloc
			}
		}
	}
	st.cpu = cpuTime() - cpu0
	c.wait()
	log.mu.Lock()
	st.analyses, st.failed = log.analyses-analyses0, log.failed
	log.mu.Unlock()
	c.mu.Lock()
	st.byFile = map[string]int{}
	for p, n := range c.pubs {
		if d := n - before[p]; d > 0 {
			rel, _ := filepath.Rel(dir, p)
			st.byFile[filepath.ToSlash(rel)] = d
			st.publishes += d
			if d > st.analyses {
				b.Errorf("%s published %d times for %d analyses", rel, d, st.analyses)
			}
		}
	}
	c.mu.Unlock()
	if st.failed > 0 {
		b.Errorf("%d analyses failed", st.failed)
	}
	if edits%len(script) == 0 && !bytes.Equal(c.text(name), mustRead(b, file)) {
		b.Error("a whole number of script cycles did not leave the file as it found it")
	}
	return st, c
}

func mustRead(tb testing.TB, path string) []byte {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// typingStep is one edit of the script, computed on the current text.
type typingStep struct {
	edit  func(text []byte) (start, end int, insert string)
	pause bool // the typist pauses after it until the server has settled
}

// typingScript is one cycle of edits that leaves the file as it found it
// (40 edits): every third keystroke ends a burst.
func typingScript() []typingStep {
	var steps []typingStep
	after := func(needle string) func([]byte) int {
		return func(text []byte) int {
			i := bytes.Index(text, []byte(needle))
			if i < 0 {
				panic(fmt.Sprintf("%q not in the text", needle))
			}
			return i + len(needle)
		}
	}
	// typeAt types s after prefix (its first occurrence), a key at a time.
	typeAt := func(prefix, s string) {
		at := after(prefix)
		for k := range len(s) {
			ch := s[k : k+1]
			steps = append(steps, typingStep{edit: func(text []byte) (int, int, string) {
				o := at(text) + k
				return o, o, ch
			}, pause: k%3 == 2 || k == len(s)-1})
		}
	}
	// erase deletes s, which follows prefix, from its end, a key at a time.
	erase := func(prefix, s string) {
		at := after(prefix)
		for k := range len(s) {
			steps = append(steps, typingStep{edit: func(text []byte) (int, int, string) {
				o := at(text) + len(s) - k
				return o - 1, o, ""
			}, pause: k%3 == 2 || k == len(s)-1})
		}
	}
	replace := func(old, new string) {
		steps = append(steps, typingStep{edit: func(text []byte) (int, int, string) {
			i := bytes.Index(text, []byte(old))
			if i < 0 {
				panic(fmt.Sprintf("%q not in the text", old))
			}
			return i, i + len(old), new
		}, pause: true})
	}
	// A tag value typed and erased: vpc-1 → vpc-1-production → vpc-1.
	typeAt(`Name = "vpc-1`, "-production")
	erase(`Name = "vpc-1`, "-production")
	// A port: 22 → 2222 (from_port above to_port), to_port too, back.
	typeAt("from_port   = 22", "22")
	typeAt("to_port     = 22", "22")
	erase("from_port   = 22", "22")
	erase("to_port     = 22", "22")
	// A CIDR through invalid states: /32 → / → /24 → /32.
	erase(`"203.0.113.10/`, "32")
	typeAt(`"203.0.113.10/`, "24")
	erase(`"203.0.113.10/`, "24")
	typeAt(`"203.0.113.10/`, "32")
	// SSH opened to the world (pasted), then closed.
	replace("cidr_blocks = ["+tfgen.Admin, "cidr_blocks = ["+tfgen.World)
	replace("cidr_blocks = ["+tfgen.World, "cidr_blocks = ["+tfgen.Admin)
	return steps
}

// TestTypingSession replays two cycles of the typing script on a small
// workspace, stopping with SSH open to the world (fast bursts cancel
// analyses in flight): every edit settles, no file is published more
// often than there were analyses, and what is published at the end is
// what a fresh server publishes for the final text — no superseded
// analysis overtook a newer one.
func TestTypingSession(t *testing.T) {
	dir, _ := filepath.EvalSymlinks(t.TempDir())
	files, err := tfgen.Write(dir, 2, 40, false)
	if err != nil {
		t.Fatal(err)
	}
	st, c := typingSession(t, dir, files[1], 2*len(typingScript())-1)
	if len(st.latencies) == 0 || st.analyses == 0 {
		t.Fatalf("nothing settled: %+v", st)
	}
	final := c.text("net001.tf")
	if !bytes.Contains(final, []byte("cidr_blocks = ["+tfgen.World)) {
		t.Fatalf("the script did not end with SSH open:\n%s", final)
	}
	names := []string{"net000.tf", "net001.tf"}
	var got []string
	for _, n := range names {
		got = append(got, c.renderDiagnostics(n))
	}
	if !strings.Contains(got[1], "admin-ports-open-to-world") {
		t.Errorf("net001.tf has no admin-ports-open-to-world after SSH was opened:\n%s", got[1])
	}
	if err := os.WriteFile(files[1], final, 0o644); err != nil {
		t.Fatal(err)
	}
	fresh := startClient(t, dir, nil, Options{})
	fresh.wait()
	fresh.open("net001.tf")
	fresh.wait()
	for i, n := range names {
		if want := fresh.renderDiagnostics(n); got[i] != want {
			t.Errorf("%s after the session:\n%s\nfrom a fresh server:\n%s", n, got[i], want)
		}
	}
}
