// Package release holds the tests of the distribution files at the root of
// the repository: .goreleaser.yaml (goreleaser check and a snapshot build),
// action.yml and the CI examples (actionlint with shellcheck), and
// .pre-commit-hooks.yaml. It has no code of its own.
package release
