package main

import (
	"bytes"
	"encoding/json"
	"html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
)

const example = "../../examples/three-tier-production"

// figureRE matches an element carrying a figure of the report:
// data-figure="KIND" and its attributes, then the text it shows.
var figureRE = regexp.MustCompile(`<(?:td|span|strong)[^>]*\sdata-figure="([^"]+)"([^>]*)>([^<]*)<`)
var attrRE = regexp.MustCompile(`\sdata-([a-z]+)="([^"]*)"`)

type figure struct {
	kind  string
	attrs map[string]string
	text  string
}

// figures reads every data-figure of an HTML report back, unescaped, with
// the estimate mark and the thousands separators taken off the text.
func figures(t *testing.T, page string) []figure {
	t.Helper()
	var out []figure
	for _, m := range figureRE.FindAllStringSubmatch(page, -1) {
		f := figure{kind: m[1], attrs: map[string]string{}, text: strings.NewReplacer("~", "", ",", "").Replace(html.UnescapeString(m[3]))}
		for _, a := range attrRE.FindAllStringSubmatch(m[2], -1) {
			f.attrs[a[1]] = html.UnescapeString(a[2])
		}
		out = append(out, f)
	}
	if len(out) == 0 {
		t.Fatal("no figure in the report")
	}
	return out
}

// TestReportMatchesCostJSON: every total and every per-resource and
// per-component figure of the HTML report equals what `cost --format
// json` gives for the same input and usage file, and the report shows no
// cost figure the JSON lacks.
func TestReportMatchesCostJSON(t *testing.T) {
	t.Parallel()
	usage := "../../cost/testdata/usage-production.yaml"
	for _, args := range [][]string{{example}, {"--usage", usage, example}, {"../../cost/testdata/terraform/eu-stack"}, {"../../cost/testdata/terraform/two-regions"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			t.Parallel()
			out, errOut, code := runCLI(t, append([]string{"cost", "--format", "json"}, args...)...)
			if code != 0 {
				t.Fatalf("cost: exit %d: %s", code, errOut)
			}
			var doc struct {
				Total     string `json:"total_monthly"`
				Min       string `json:"total_monthly_min"`
				Max       string `json:"total_monthly_max"`
				Resources []struct {
					ID         string  `json:"id"`
					Monthly    string  `json:"monthly"`
					Min        *string `json:"monthly_min"`
					Max        *string `json:"monthly_max"`
					Components []struct {
						Name    string  `json:"name"`
						Detail  string  `json:"detail"`
						Monthly *string `json:"monthly"`
					} `json:"components"`
				} `json:"resources"`
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(t.TempDir(), "report.html")
			_, errOut, code = runCLI(t, append([]string{"report", "--ticket-price", "45", "-o", file}, args...)...)
			if code != 0 {
				t.Fatalf("report: exit %d: %s", code, errOut)
			}
			page, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var want, got []string
			want = append(want, "total="+doc.Total, "total-min="+doc.Min, "total-max="+doc.Max)
			for _, r := range doc.Resources {
				want = append(want, "resource "+r.ID+"="+r.Monthly)
				if r.Min != nil {
					want = append(want, "resource-min "+r.ID+"="+*r.Min, "resource-max "+r.ID+"="+*r.Max)
				}
				for _, c := range r.Components {
					m := "depends on usage"
					if c.Monthly != nil {
						m = *c.Monthly
					}
					want = append(want, "component "+r.ID+" "+c.Name+" ["+c.Detail+"]="+m)
				}
			}
			for _, f := range figures(t, string(page)) {
				switch f.kind {
				case "total", "total-min", "total-max":
					got = append(got, f.kind+"="+f.text)
				case "resource", "resource-min", "resource-max":
					got = append(got, f.kind+" "+f.attrs["id"]+"="+f.text)
				case "component":
					got = append(got, "component "+f.attrs["id"]+" "+f.attrs["component"]+" ["+f.attrs["detail"]+"]="+f.text)
				}
			}
			sort.Strings(want)
			sort.Strings(got)
			if strings.Join(want, "\n") != strings.Join(got, "\n") {
				t.Errorf("report figures differ from cost --format json:\njson:\n%s\n\nreport:\n%s", strings.Join(want, "\n"), strings.Join(got, "\n"))
			}
		})
	}
}

// TestReportCommand: Markdown to a file writes the plot beside it; flags
// are checked; an architecture without a group says why no spike ran.
func TestReportCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	md := filepath.Join(dir, "finance.md")
	_, errOut, code := runCLI(t, "report", example, "--format", "markdown", "-o", md, "--ticket-price", "12.50")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	text, err := os.ReadFile(md)
	if err != nil {
		t.Fatal(err)
	}
	svg, err := os.ReadFile(filepath.Join(dir, "finance.svg"))
	if err != nil || !bytes.HasPrefix(svg, []byte("<svg")) {
		t.Fatalf("plot beside the Markdown: %v", err)
	}
	// 79,330 tickets × 12.50 = 991,625.00 a spike.
	for _, want := range []string{"](finance.svg)", "991,625.00", "## Depends on usage", "## Spike simulation"} {
		if !bytes.Contains(text, []byte(want)) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	out, _, code := runCLI(t, "report", "--format", "markdown", "../../examples/three-tier-basic")
	if code != 0 || !strings.Contains(out, "no Auto Scaling group") || !strings.Contains(out, "# Cost report") {
		t.Errorf("no group: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{
		{"report", "--format", "pdf", example},
		{"report", "--ticket-price", "-3", example},
		{"report", "--ticket-price", "lots", example},
		{"report"},
	} {
		if _, errOut, code := runCLI(t, args...); code != exitUsage || !strings.Contains(errOut, "report") {
			t.Errorf("%v: exit %d: %s", args, code, errOut)
		}
	}
}

// browser finds a headless Chromium.
func browser() string {
	for _, name := range []string{"chromium-headless-shell", "chrome-headless-shell", "chromium", "chromium-browser", "google-chrome", "headless_shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestReportInBrowser opens the bundled example's HTML report in headless
// Chromium from a file (no server, no network: the page forbids any fetch),
// takes a screenshot, checks the console stayed silent, and reads the DOM
// back to find the plot and the totals rendered.
func TestReportInBrowser(t *testing.T) {
	bin := browser()
	if bin == "" {
		t.Skip("no headless Chromium installed (apt-get install chromium-headless-shell, as .ci/run does): the report is not opened in a browser")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	if _, errOut, code := runCLI(t, "report", "--ticket-price", "45", "-o", page, example); code != 0 {
		t.Fatalf("report: exit %d: %s", code, errOut)
	}
	url := "file://" + filepath.ToSlash(page)
	chrome := func(args ...string) (stdout, stderr string) {
		t.Helper()
		base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
			"--user-data-dir=" + filepath.Join(dir, "profile"), "--enable-logging=stderr", "--v=0", "--window-size=1280,2400"}
		cmd := exec.Command(bin, append(append(base, args...), url)...)
		var o, e bytes.Buffer
		cmd.Stdout, cmd.Stderr = &o, &e
		done := make(chan error, 1)
		if err := cmd.Start(); err != nil {
			t.Fatalf("%s: %v", bin, err)
		}
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("%s %v: %v\n%s", bin, args, err, e.String())
			}
		case <-time.After(2 * time.Minute): // a hung browser, not a speed check
			_ = cmd.Process.Kill()
			t.Fatalf("%s %v did not finish", bin, args)
		}
		return o.String(), e.String()
	}
	consoleErrors := func(stderr string) []string {
		var bad []string
		for _, l := range strings.Split(stderr, "\n") {
			if strings.Contains(l, ":CONSOLE") || strings.Contains(l, "Uncaught") || strings.Contains(l, "Refused to") ||
				strings.Contains(l, "Content Security Policy") || strings.Contains(l, "net::ERR_") {
				bad = append(bad, l)
			}
		}
		return bad
	}
	shot := filepath.Join(dir, "report.png")
	_, stderr := chrome("--screenshot=" + shot)
	if bad := consoleErrors(stderr); len(bad) > 0 {
		t.Errorf("console errors while rendering:\n%s", strings.Join(bad, "\n"))
	}
	png, err := os.ReadFile(shot)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) || len(png) < 20000 {
		t.Errorf("screenshot: %v (%d bytes)", err, len(png))
	}
	dom, stderr := chrome("--dump-dom")
	if bad := consoleErrors(stderr); len(bad) > 0 {
		t.Errorf("console errors while loading:\n%s", strings.Join(bad, "\n"))
	}
	// The DOM as the browser built it: the plot's SVG with its drawn
	// series, and the totals in their places.
	if !regexp.MustCompile(`<figure id="plot">\s*<svg[^>]*viewBox="0 0 900 640"`).MatchString(dom) || strings.Count(dom, "<path") < 20 {
		t.Errorf("plot not in the DOM (%d paths)", strings.Count(dom, "<path"))
	}
	for _, want := range []string{
		`<span data-figure="total">~273.87</span>`,
		`<span data-figure="total-min">~273.87</span>`,
		`<span data-figure="total-max">~468.67</span>`,
		`data-figure="lost-value-spike">3,569,850.00<`,
		`capacity, recommended`, // the plot's legend: the recommended run's capacity
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("DOM lacks %s", want)
		}
	}
}
