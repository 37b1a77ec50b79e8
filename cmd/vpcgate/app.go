package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/urfave/cli/v2"

	"github.com/vpcgate/vpcgate/internal/gcstart"
)

// Exit codes (DESIGN section 6).
const (
	exitClean    = 0 // nothing at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on (or a cost increase over the gate)
	exitUsage    = 2 // usage or input error
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

func (e *exitError) Unwrap() error { return e.err }

// exitWith returns an error that makes run exit with code; err may be nil
// when the command already said everything.
func exitWith(code int, err error) error { return &exitError{code: code, err: err} }

// usageError marks a problem with the command line.
func usageError(format string, args ...any) error {
	return exitWith(exitUsage, fmt.Errorf(format, args...))
}

// newApp builds the CLI writing to stdout and stderr, so tests drive it in
// process.
func newApp(stdout, stderr io.Writer) *cli.App {
	build := currentBuild()
	app := &cli.App{
		Name:      "vpcgate",
		Usage:     "check an AWS network architecture against policy and tell what it costs",
		Version:   build.Version,
		Writer:    stdout,
		ErrWriter: stderr,
		// Errors are printed by run; urfave must not exit the process.
		ExitErrHandler: func(*cli.Context, error) {},
		// The root action answers --version, help CMD and unknown commands.
		HideHelpCommand: true,
		HideVersion:     true,
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "version", Usage: "print the version, commit, build date and Go version"},
		},
		Action: rootAction,
		Commands: []*cli.Command{
			scanCommand(),
			graphCommand(),
			explainCommand(),
			costCommand(),
			simulateCommand(),
			reportCommand(),
			pricesCommand(),
			policiesCommand(),
			schemaCommand(),
			completionCommand(),
			versionCommand(),
			collectCommand(),
			lspCommand(),
			diffCommand(),
		},
	}
	// Every command that prints a report takes -o/--output and -q/--quiet.
	for _, cmd := range app.Commands {
		switch cmd.Name {
		case "collect", "lsp", "completion", "version":
			continue
		}
		withOutputAll(cmd)
	}
	setUsageErrors(app.Commands)
	setEnvVars(app.Commands)
	return app
}

// run executes the CLI and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	// A command sets a memory limit from its node budget (limits.go); put
	// the previous one back (tests run many commands in one process).
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	// and closes its start heap, if the first collection did not.
	defer gcstart.Close()
	app := newApp(stdout, stderr)
	if len(args) > 1 && args[len(args)-1] == completionFlag {
		complete(app, args[1:len(args)-1], stdout)
		return exitClean
	}
	err := app.RunContext(ctx, interspersed(app, args))
	if err == nil {
		return exitClean
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.err != nil {
			fmt.Fprintf(stderr, "vpcgate: %s\n", flagNames.Replace(ee.err.Error()))
		}
		return ee.code
	}
	fmt.Fprintf(stderr, "vpcgate: %s\n", flagNames.Replace(err.Error()))
	return exitUsage
}
