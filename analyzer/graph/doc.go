// Package graph is vpcgate's normalized model of an AWS network: typed nodes
// (VPCs, subnets, route tables, gateways, security groups, compute, load
// balancers, databases…), the references between them, where each node came
// from, and the facts derived from it (public subnets, reachability, tiers).
//
// Every input form (describe JSON, the live API, Terraform, CloudFormation)
// produces the same node types, so every consumer (policies, cost, the CLI
// and the language server) reads one model and never the raw input.
//
// The package depends on the standard library only.
package graph
