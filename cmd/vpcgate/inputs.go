package main

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/analyzer/config"
	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"github.com/vpcgate/vpcgate/cost"
	"github.com/vpcgate/vpcgate/policies"
)

// inputFlags are the flags of every command that reads an architecture.
func inputFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "region", Usage: "default AWS region of inputs that do not say", Value: "us-east-1"},
		&cli.StringFlag{Name: "account", Usage: "default AWS account id of inputs that do not say"},
		&cli.StringSliceFlag{Name: "var", Usage: "Terraform variable `NAME=VALUE` (repeatable)"},
		&cli.StringSliceFlag{Name: "var-file", Usage: "Terraform variables `FILE` (repeatable)"},
		&cli.StringSliceFlag{Name: "parameter", Usage: "CloudFormation parameter `KEY=VALUE` (repeatable)"},
		&cli.StringSliceFlag{Name: "parameter-file", Usage: "CloudFormation parameters `FILE` (repeatable)"},
		&cli.StringFlag{Name: "root", Usage: "scanned root: nothing outside it is read (default: each input path)"},
		&cli.BoolFlag{Name: "allow-outside-root", Usage: "follow symlinks, module sources and template URLs out of the scanned root"},
		&cli.StringSliceFlag{Name: "skip-path", Usage: "leave out paths matching `GLOB`, relative to the scanned path (** any folders; no / matches a name at any depth; repeatable)"},
		&cli.Int64Flag{Name: "max-file-size", Usage: "largest input file in bytes", Value: analyzer.DefaultMaxFileSize},
		&cli.IntFlag{Name: "max-depth", Usage: "deepest nesting of values in one input document", Value: ingest.DefaultMaxDepth},
		&cli.IntFlag{Name: "max-nodes", Usage: "most resources one analysis reads, count and for_each expansions included", Value: ingest.DefaultMaxNodes},
		&cli.BoolFlag{Name: "debug", Usage: "log debug information to stderr"},
	}
}

// keyValues parses NAME=VALUE pairs.
func keyValues(flag string, pairs []string) (map[string]string, error) {
	if len(pairs) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		if !ok || k == "" {
			return nil, usageError("--%s %q: want NAME=VALUE", flag, p)
		}
		out[k] = v
	}
	return out, nil
}

// newEngine builds the one engine of a command from its flags: every
// option of the analysis is set here, once, so that two analyses of one
// command (cost --compare, diff) are made the same way by construction.
// Flags a command does not define read as unset.
func newEngine(c *cli.Context, parts analyzer.Parts) (*analyzer.Engine, error) {
	name := commandName(c)
	vars, err := keyValues("var", c.StringSlice("var"))
	if err != nil {
		return nil, err
	}
	params, err := keyValues("parameter", c.StringSlice("parameter"))
	if err != nil {
		return nil, err
	}
	limits, err := limitFlags(c)
	if err != nil {
		return nil, err
	}
	setMemoryLimit(limits.MaxNodes)
	opts := []analyzer.Option{
		analyzer.WithParts(parts),
		// A command analyses once (diff and cost --compare twice, trees
		// that share no files): nothing is kept for a later analysis.
		analyzer.WithoutReuse(),
		analyzer.WithRoot(c.String("root")),
		analyzer.WithAllowOutsideRoot(c.Bool("allow-outside-root")),
		analyzer.WithLimits(limits),
		analyzer.WithRegion(c.String("region")),
		analyzer.WithAccount(c.String("account")),
		analyzer.WithVars(vars),
		analyzer.WithVarFiles(c.StringSlice("var-file")...),
		analyzer.WithParameters(params),
		analyzer.WithParameterFiles(c.StringSlice("parameter-file")...),
		analyzer.WithSkipPaths(c.StringSlice("skip-path")...),
	}
	if c.Bool("debug") {
		opts = append(opts, analyzer.WithLogger(slog.New(slog.NewTextHandler(c.App.ErrWriter, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	if parts&analyzer.PartFindings != 0 || c.IsSet("config") || c.IsSet("policy") || c.IsSet("rule") || c.IsSet("skip-rule") || c.IsSet("severity") {
		po, err := policyOptions(c)
		if err != nil {
			return nil, err
		}
		opts = append(opts, po...)
	}
	if parts&analyzer.PartCosts != 0 || hasFlag(c, "catalog") {
		cat, err := loadCatalog(c)
		if err != nil {
			return nil, err
		}
		opts = append(opts, analyzer.WithCatalog(cat), analyzer.WithPriceRegion(priceRegion(c)))
		if path := c.String("usage"); path != "" {
			f, err := os.Open(path)
			if err != nil {
				return nil, usageError("%s: --usage: %v", name, err)
			}
			u, err := cost.ParseUsage(f, path)
			f.Close()
			if err != nil {
				return nil, usageError("%s: --usage: %v", name, err)
			}
			opts = append(opts, analyzer.WithUsage(u))
		}
	}
	eng, err := analyzer.NewEngine(c.Context, opts...)
	if err != nil {
		var oe *analyzer.OptionError
		if errors.As(err, &oe) && oe.Option == "MinSeverity" {
			return nil, usageError("%s: --severity: %v", name, oe.Err)
		}
		return nil, usageError("%s: %v", name, err)
	}
	return eng, nil
}

// policyOptions are the options of the configuration file, the rule
// selection and the suppressions (flags win over the file).
func policyOptions(c *cli.Context) ([]analyzer.Option, error) {
	name := commandName(c)
	cfg, cfgDiags, err := loadConfig(c)
	if err != nil {
		return nil, err
	}
	opts := []analyzer.Option{analyzer.WithConfig(cfg, cfgDiags), analyzer.WithPolicyDirs(c.StringSlice("policy")...)}
	if r := c.StringSlice("rule"); len(r) > 0 {
		opts = append(opts, analyzer.WithRules(r...))
	}
	if s := c.StringSlice("skip-rule"); len(s) > 0 {
		opts = append(opts, analyzer.WithSkipRules(s...))
	}
	if s := c.String("severity"); s != "" {
		if _, err := policies.ParseSeverity(s); err != nil {
			return nil, usageError("%s: --severity: %v", name, err)
		}
		opts = append(opts, analyzer.WithMinSeverity(s))
	}
	if d := c.String("today"); d != "" {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return nil, usageError("%s: --today %q: want YYYY-MM-DD", name, d)
		}
		opts = append(opts, analyzer.WithNow(t))
	}
	if p := c.String("baseline"); p != "" {
		f, err := os.Open(p)
		if err != nil {
			return nil, usageError("%s: --baseline: %v", name, err)
		}
		b, err := policies.ReadBaseline(f)
		f.Close()
		if err != nil {
			return nil, usageError("%s: --baseline %s: %v", name, p, err)
		}
		opts = append(opts, analyzer.WithBaseline(b, p))
	}
	return opts, nil
}

// loadConfig reads --config, or .vpcgate.yaml found upward from the first
// input; an absent file is an empty configuration.
func loadConfig(c *cli.Context) (*config.Config, []graph.Diagnostic, error) {
	path := c.String("config")
	policiesCmd := commandName(c) == "policies"
	if path == "" && c.NArg() > 0 && !policiesCmd {
		found, err := config.Find(c.Args().First())
		if err != nil {
			return nil, nil, usageError("%s: %v", commandName(c), err)
		}
		path = found
	}
	if path == "" {
		return &config.Config{}, nil, nil
	}
	cfg, diags, err := config.Load(path)
	if err != nil {
		return nil, nil, usageError("%s: %v", commandName(c), err)
	}
	return cfg, diags, nil
}

// analyze runs the engine on the command's arguments.
func analyze(c *cli.Context, eng *analyzer.Engine) (*analyzer.Snapshot, error) {
	if c.Bool("live") {
		return analyzeLive(c, eng)
	}
	if c.NArg() == 0 {
		return nil, usageError("%s: give at least one file or folder to read", c.Command.Name)
	}
	return analyzePaths(c, eng, analyzer.Request{Paths: c.Args().Slice()})
}

// analyzePaths runs the engine on one request.
func analyzePaths(c *cli.Context, eng *analyzer.Engine, req analyzer.Request) (*analyzer.Snapshot, error) {
	snap, err := eng.Analyze(c.Context, req)
	if err != nil {
		var none *analyzer.NoInputError
		if errors.As(err, &none) {
			printDiagnostics(c.App.ErrWriter, none.Diagnostics)
		}
		return nil, exitWith(exitUsage, fmt.Errorf("%s: %w", commandName(c), err))
	}
	return withFlagNames(snap), nil
}

// commandName names the command in messages: "policies" for its
// subcommands list and doc.
func commandName(c *cli.Context) string {
	switch c.Command.Name {
	case "list", "doc":
		return "policies"
	}
	return c.Command.Name
}

// hasFlag reports whether the command defines the flag.
func hasFlag(c *cli.Context, name string) bool {
	for _, f := range c.Command.Flags {
		for _, n := range f.Names() {
			if n == name {
				return true
			}
		}
	}
	return false
}

// flagNames maps the option names library messages use to the flags a
// user types.
var flagNames = strings.NewReplacer(
	"the AllowOutsideRoot option", "--allow-outside-root",
	"Limits.MaxFileSize", "--max-file-size",
	"Limits.MaxDepth", "--max-depth",
	"Limits.MaxNodes", "--max-nodes",
	"AllowOutsideRoot", "--allow-outside-root",
	"SkipPaths", "--skip-path",
	"given (Parameters)", "given with --parameter",
	// The flag package names a flag with one dash in its parse errors.
	" for flag -", " for flag --",
)

// withFlagNames returns snap with its diagnostics naming CLI flags instead
// of library options (the snapshot itself is shared and left as it is).
func withFlagNames(snap *analyzer.Snapshot) *analyzer.Snapshot {
	out := *snap
	out.Diagnostics = make([]graph.Diagnostic, len(snap.Diagnostics))
	for i, d := range snap.Diagnostics {
		d.Summary, d.Detail = flagNames.Replace(d.Summary), flagNames.Replace(d.Detail)
		out.Diagnostics[i] = d
	}
	return &out
}
