package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"
)

// completionFlag ends the command line the shells' scripts give vpcgate
// to list what may come next (the name urfave/cli uses).
const completionFlag = "--generate-bash-completion"

// complete prints, one a line, what may follow args: the flags of the
// command named by args that start with the last argument when it starts
// with "-", else the command's subcommands (none: the shell completes
// file names).
func complete(app *cli.App, args []string, w io.Writer) {
	cmds := app.Commands
	var cmd *cli.Command
	for _, a := range args {
		var next *cli.Command
		for _, c := range cmds {
			if c.HasName(a) {
				next = c
				break
			}
		}
		if next == nil {
			break
		}
		cmd, cmds = next, next.Subcommands
	}
	last := ""
	if len(args) > 0 {
		last = args[len(args)-1]
	}
	if strings.HasPrefix(last, "-") {
		flags := app.Flags
		if cmd != nil {
			flags = cmd.Flags
		}
		for _, f := range flags {
			if vf, ok := f.(cli.VisibleFlag); ok && !vf.IsVisible() {
				continue
			}
			for _, n := range f.Names() {
				name := "--" + n
				if len(n) == 1 {
					name = "-" + n
				}
				if strings.HasPrefix(name, last) {
					fmt.Fprintln(w, name)
				}
			}
		}
		return
	}
	if cmd != nil && len(cmd.Subcommands) == 0 {
		return
	}
	for _, c := range cmds {
		if !c.Hidden {
			fmt.Fprintln(w, c.Name)
		}
	}
}

const bashCompletion = `# vpcgate completion for bash: source <(vpcgate completion bash)
_vpcgate_complete() {
  local cur opts
  COMPREPLY=()
  cur="${COMP_WORDS[COMP_CWORD]}"
  if [[ "$cur" == -* ]]; then
    opts=$("${COMP_WORDS[@]:0:COMP_CWORD}" "$cur" --generate-bash-completion 2>/dev/null)
  else
    opts=$("${COMP_WORDS[@]:0:COMP_CWORD}" --generate-bash-completion 2>/dev/null)
  fi
  mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
}
complete -o bashdefault -o default -F _vpcgate_complete vpcgate
`

const zshCompletion = `#compdef vpcgate
# vpcgate completion for zsh: vpcgate completion zsh > "${fpath[1]}/_vpcgate"
_vpcgate() {
  local -a opts
  local cur="${words[CURRENT]}"
  if [[ "$cur" == -* ]]; then
    opts=("${(@f)$(${words[1,CURRENT-1]} "$cur" --generate-bash-completion 2>/dev/null)}")
  else
    opts=("${(@f)$(${words[1,CURRENT-1]} --generate-bash-completion 2>/dev/null)}")
  fi
  if [[ -n "${opts[1]}" ]]; then
    _describe 'vpcgate' opts
  else
    _files
  fi
}
compdef _vpcgate vpcgate
`

const powershellCompletion = `# vpcgate completion for PowerShell: vpcgate completion powershell | Out-String | Invoke-Expression
Register-ArgumentCompleter -Native -CommandName vpcgate -ScriptBlock {
  param($wordToComplete, $commandAst, $cursorPosition)
  $words = @($commandAst.CommandElements | ForEach-Object { $_.ToString() })
  if ($wordToComplete -ne '') { $words = $words[0..($words.Count - 2)] }
  $rest = @()
  if ($words.Count -gt 1) { $rest = $words[1..($words.Count - 1)] }
  if ($wordToComplete -like '-*') { $rest += $wordToComplete }
  & $words[0] @rest --generate-bash-completion 2>$null |
    Where-Object { $_ -like "$wordToComplete*" } |
    ForEach-Object { [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_) }
}
`

func completionCommand() *cli.Command {
	return &cli.Command{
		Name:      "completion",
		Usage:     "print the shell completion script for bash, zsh, fish or powershell",
		ArgsUsage: "bash|zsh|fish|powershell",
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError("completion: name one shell: bash, zsh, fish or powershell")
			}
			var script string
			switch c.Args().First() {
			case "bash":
				script = bashCompletion
			case "zsh":
				script = zshCompletion
			case "powershell", "pwsh":
				script = powershellCompletion
			case "fish":
				s, err := c.App.ToFishCompletion()
				if err != nil {
					return fmt.Errorf("completion: %w", err)
				}
				script = s
			default:
				return usageError("completion: no script for %q (bash, zsh, fish or powershell)", c.Args().First())
			}
			_, err := fmt.Fprint(c.App.Writer, script)
			return err
		},
	}
}
