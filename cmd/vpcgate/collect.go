package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"

	"github.com/vpcgate/vpcgate/analyzer/ingest/live"
)

// exitInterrupted is the exit code of a collection stopped by Ctrl-C.
const exitInterrupted = 130

// reportFile is the collection report written beside the dump.
const reportFile = "collect-report.json"

// awsFlags are the flags that say which AWS accounts to collect, shared by
// collect and the --live analyses (which take --region from inputFlags).
func awsFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "profile", Usage: "AWS profile `NAME` (default: AWS_PROFILE or the default chain)"},
		&cli.StringFlag{Name: "role-arn", Usage: "assume role `ARN` for the collection"},
		&cli.StringFlag{Name: "external-id", Usage: "external `ID` of --role-arn or --org-role"},
		&cli.StringFlag{Name: "org-role", Usage: "collect every account of the AWS Organization through role `NAME` in each"},
		&cli.IntFlag{Name: "concurrency", Usage: "API calls in flight", Value: live.DefaultConcurrency},
		&cli.IntFlag{Name: "accounts", Usage: "accounts collected side by side with --org-role", Value: live.DefaultAccounts},
	}
}

func collectCommand() *cli.Command {
	return &cli.Command{
		Name:  "collect",
		Usage: "collect the describe output of AWS accounts into a folder that scan reads",
		Description: "Writes <account>/<region>/<service>-<command>.json (the CloudMapper layout, the JSON the AWS CLI prints)\n" +
			"and collect-report.json. Exit codes: 0 everything collected, 1 something was not (see the report),\n" +
			"2 usage error or nothing could be collected, 130 interrupted.",
		Flags: append(awsFlags(),
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "output `DIR`", Required: true},
			&cli.StringSliceFlag{Name: "region", Usage: "regions `R1,R2` to collect, or all (default: the profile's region)"},
		),
		Action: collectAction,
	}
}

func collectAction(c *cli.Context) error {
	cfg, err := liveConfig(c, c.StringSlice("region"))
	if err != nil {
		return err
	}
	out := c.String("out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return exitWith(exitUsage, fmt.Errorf("collect: %w", err))
	}
	rep, err := collectInto(c, cfg, live.DirSink{Dir: out}, out)
	if rep == nil {
		return exitWith(exitUsage, fmt.Errorf("collect: %w", err))
	}
	switch {
	case rep.Interrupted:
		return exitWith(exitInterrupted, nil)
	case !rep.Complete():
		return exitWith(exitFindings, nil)
	}
	return nil
}

// liveConfig builds the collection settings from the flags.
func liveConfig(c *cli.Context, regionArgs []string) (live.Config, error) {
	name := commandName(c)
	var regions []string
	for _, arg := range regionArgs {
		for _, r := range strings.Split(arg, ",") {
			if r = strings.TrimSpace(r); r != "" {
				regions = append(regions, r)
			}
		}
	}
	for _, r := range regions {
		if r == live.AllRegions {
			if len(regions) > 1 {
				return live.Config{}, usageError("%s: --region all collects every enabled region: give it alone", name)
			}
			continue
		}
		if !regionName.MatchString(r) {
			return live.Config{}, usageError("%s: --region %q is not a region name (us-east-1, eu-west-3…) or all", name, r)
		}
	}
	if c.String("role-arn") != "" && c.String("org-role") != "" {
		return live.Config{}, usageError("%s: give --role-arn or --org-role, not both", name)
	}
	if c.Int("concurrency") < 1 || c.Int("accounts") < 1 {
		return live.Config{}, usageError("%s: --concurrency and --accounts must be at least 1", name)
	}
	return live.Config{
		Profile:     c.String("profile"),
		Regions:     regions,
		RoleARN:     c.String("role-arn"),
		ExternalID:  c.String("external-id"),
		OrgRole:     c.String("org-role"),
		Concurrency: c.Int("concurrency"),
		Accounts:    c.Int("accounts"),
	}, nil
}

var regionName = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`)

// collectInto runs a collection into sink with a progress bar on a
// terminal, writes the report into dir (when dir is set) and prints what was
// not collected. The report is nil when nothing could be collected.
func collectInto(c *cli.Context, cfg live.Config, sink live.Sink, dir string) (*live.Report, error) {
	stderr := c.App.ErrWriter
	bar := progressBar(stderr)
	if bar != nil {
		cfg.Progress = func(p live.Progress) {
			bar.ChangeMax(p.Total)
			bar.Set(p.Done)
		}
	}
	rep, err := live.Collect(c.Context, cfg, sink)
	if bar != nil {
		bar.Finish()
		bar.Clear()
	}
	if rep == nil {
		return nil, err
	}
	if dir != "" {
		if werr := writeReport(dir, rep); werr != nil {
			fmt.Fprintf(stderr, "vpcgate: %s: %v\n", commandName(c), werr)
		}
	}
	printReport(stderr, rep, dir)
	return rep, nil
}

// progressBar returns a bar on stderr when it is a terminal, else nil.
func progressBar(w io.Writer) *progressbar.ProgressBar {
	f, ok := w.(*os.File)
	if !ok || !(isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
		return nil
	}
	return progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(f),
		progressbar.OptionSetDescription("collecting"),
		progressbar.OptionShowCount(),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100_000_000),
		progressbar.OptionClearOnFinish(),
	)
}

// writeReport writes collect-report.json into dir, atomically.
func writeReport(dir string, rep *live.Report) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		return err
	}
	w, err := live.DirSink{Dir: dir}.Create(reportFile)
	if err != nil {
		return err
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		w.Abort()
		return err
	}
	return w.Commit()
}

// printReport says on w what was collected and what was not.
func printReport(w io.Writer, rep *live.Report, dir string) {
	for _, a := range rep.Accounts {
		if a.Error != "" {
			fmt.Fprintf(w, "not collected: account %s: %s\n", a.Account, a.Error)
		}
		for _, r := range a.Regions {
			if r.Skipped != "" {
				fmt.Fprintf(w, "not collected: %s %s: %s\n", a.Account, r.Region, r.Skipped)
			}
		}
	}
	for _, f := range rep.Failures {
		fmt.Fprintf(w, "not collected: %s %s %s: %s: %s\n", f.Account, f.Region, f.Operation, f.Code, f.Message)
	}
	regions := 0
	for _, a := range rep.Accounts {
		for _, r := range a.Regions {
			if r.Skipped == "" {
				regions++
			}
		}
	}
	where := ""
	if dir != "" {
		where = " into " + dir
	}
	switch {
	case rep.Interrupted:
		fmt.Fprintf(w, "interrupted: %d complete files collected%s before the stop (no partial file is left); %s lists them\n", rep.Files, where, reportFile)
	case rep.Complete():
		fmt.Fprintf(w, "collected %d files from %d account(s), %d region(s)%s\n", rep.Files, len(rep.Accounts), regions, where)
	default:
		fmt.Fprintf(w, "collected %d files from %d account(s), %d region(s)%s; some were not collected (above, and in %s)\n", rep.Files, len(rep.Accounts), regions, where, reportFile)
	}
}
