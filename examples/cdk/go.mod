// This go.mod fences the CDK app (and its node_modules, which ship Go
// templates) off from the vpcgate module, so `go test ./...` skips them.
module example.invalid/vpcgate-cdk-example

go 1.26
