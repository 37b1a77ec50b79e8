package main

import (
	"io"
	"log/slog"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/vpcgate/vpcgate/lsp"
)

// lspCommand runs the language server over stdin and stdout.
func lspCommand() *cli.Command {
	return &cli.Command{
		Name:  "lsp",
		Usage: "run the language server over stdin and stdout (editors start it; see examples/editors)",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "log", Usage: "write the server's log to `FILE` (stderr by default)"},
			&cli.BoolFlag{Name: "debug", Usage: "log debug information"},
		},
		Action: func(c *cli.Context) error {
			var w io.Writer = c.App.ErrWriter
			if p := c.String("log"); p != "" {
				f, err := os.OpenFile(p, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
				if err != nil {
					return usageError("lsp: --log: %v", err)
				}
				defer f.Close()
				w = f
			}
			level := slog.LevelInfo
			if c.Bool("debug") {
				level = slog.LevelDebug
			}
			log := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
			return lsp.Serve(c.Context, stdio{}, lsp.Options{Log: log})
		},
	}
}

// stdio is the process's standard input and output as one connection.
type stdio struct{}

func (stdio) Read(p []byte) (int, error)  { return os.Stdin.Read(p) }
func (stdio) Write(p []byte) (int, error) { return os.Stdout.Write(p) }
func (stdio) Close() error                { return nil }
