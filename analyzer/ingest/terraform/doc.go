// Package terraform reads Terraform into vpcgate's graph: the HCL of a
// module folder, statically evaluated (LoadModule, Loader), and the JSON of
// `terraform show -json` for plans and states (DetectPlan, ReadPlan).
//
// # Evaluation
//
// Variables take their default, then terraform.tfvars(.json), then
// *.auto.tfvars(.json) in lexical order, then Options.VarFiles, then
// Options.Vars. Locals, count, for_each, dynamic blocks, conditionals,
// splats, for expressions and the functions network code uses are evaluated
// with hashicorp/hcl and go-cty (the cidr functions on go-cidr, as Terraform
// does). Functions that read files, the clock or random sources are absent:
// calling one is a warning and an unknown value. data "aws_availability_zones"
// returns Options.AvailabilityZones (default: region a, b, c), data
// "aws_region" the region; every other data source is unknown. Local module
// calls are followed recursively, registry and git modules through
// .terraform/modules/modules.json. Nothing outside Options.Root is read
// (module sources, symlinked files) unless AllowOutsideRoot is set.
//
// What cannot be evaluated is a warning diagnostic with its range, and the
// value stays unknown: the attribute is listed in graph.Base.Unknown under
// its model name (a security group rule with an unknown peer or port is
// kept with SGRule.Unknown set), so that rules report "undetermined"
// instead of guessing. A configuration attribute left null reads as
// unknown when another resource refers to it, because most provider
// attributes are optional and computed.
//
// # Node ids
//
// A node's id is its address ("aws_security_group.app",
// "module.vpc.aws_subnet.private[0]"), except where the configuration states
// the AWS id: the name of an Auto Scaling group or DB subnet group, the
// identifier of an RDS instance or cluster (when known statically), and the
// adopted defaults below. AWS names live in one namespace per kind while
// graph ids are global: an RDS instance and a DB subnet group both called
// "db" collide (the second is reported and dropped). A reference such as aws_subnet.private[0].id or
// aws_lb.web.arn evaluates to the referenced node's id, so references become
// graph edges. Source.Address is always the address and Source.Range the
// block; Base.Attrs holds the ranges of the attributes read, under the
// model's snake_case names (and the Terraform name where it differs), and
// SGRule.Range is the attribute naming the rule's peer (cidr_blocks = [...]).
//
// # Provider semantics
//
//   - Every aws_vpc (and aws_default_vpc) gets the resources AWS creates with
//     it unless the configuration adopts them: a main route table
//     ("<vpc>.main_route_table") with the local route, a default network ACL
//     ("<vpc>.default_network_acl") allowing everything in and out, and a
//     default security group ("<vpc>.default_security_group") admitting its
//     own members, egress to anywhere. aws_default_route_table,
//     aws_default_network_acl and aws_default_security_group adopt them under
//     the same ids with only the rules they declare (Terraform removes the
//     others). Subnets without an explicit network ACL are associated with
//     the default one; aws_main_route_table_association moves "main".
//   - An aws_security_group without egress blocks has no egress (Terraform
//     removes AWS's default allow-all rule).
//   - aws_lb: internal defaults to false (scheme internet-facing), type to
//     application. Listener redirect and forward actions are kept.
//   - aws_db_instance: multi_az and publicly_accessible default to false,
//     the port to the engine's.
//   - An aws_instance has a public IPv4 address when
//     associate_public_ip_address is true, or when it is unset and its
//     subnet maps public IPs on launch, or when an aws_eip names it. The
//     address itself is not known before apply: Instance.PublicIP is then
//     PublicIPPlaceholder, "(known after apply)", and the range of
//     "public_ip" is the attribute that decided it.
//   - Resources that modify others (aws_route, aws_route_table_association,
//     aws_security_group_rule, aws_vpc_security_group_ingress_rule,
//     aws_network_acl_rule, aws_eip_association, aws_autoscaling_attachment,
//     aws_autoscaling_policy, aws_lb_target_group_attachment…) are applied
//     to the node they name rather than being nodes of their own. A
//     standalone security group rule whose group is not part of the
//     configuration (a variable, a data source, a literal sg-… id) is a
//     node of its own (aws.OutsideGroup), so that what it opens is judged.
//   - An aws_eip is in use when an aws_lb subnet_mapping names it. Its
//     association is unknown (undetermined, never idle) when its instance
//     is known only at apply, when a resource vpcgate does not model or a
//     module that is not read is given its id, or when an
//     aws_eip_association names an address known only at apply.
//   - aws_vpc_block_public_access_options sets graph.VPC.BlockPublicAccess
//     on every VPC not excluded by aws_vpc_block_public_access_exclusion (a
//     subnet exclusion excludes its whole VPC: reachability never claims a
//     block that is not there).
//
// # Suppressions
//
// A comment `# vpcgate:ignore <rule-id> <reason>` (also // or /* */) on the
// resource's lines or in the comment lines directly above it becomes a
// graph.Suppression with Source "inline" and the comment's range. A
// suppression without a reason is a warning and suppresses nothing.
//
// # Language server
//
// A Loader keeps every parsed file keyed by path and content hash; Load
// with Options.Overlay (unsaved editor contents) parses only the files that
// changed and evaluates the module again. With each parsed file it keeps
// what every attribute expression refers to (worked out while parsing, on
// the parsing workers), so evaluation does not walk an unchanged file's
// expressions again. LocalModuleSources (discovery's question: which
// folders does this one call?) parses a folder's files side by side
// through the same cache, so the load that follows parses nothing again.
//
// A new text of a parsed file takes over the top-level blocks whose text
// it kept (reparse.go): only the blocks around the edit are parsed again;
// the others, most of them a few lines or bytes from where they were, are
// moved there in place (every position of their syntax tree shifted), so
// that the evaluations kept for them are found and moved too. The result
// is the whole file's parse, field for field (TestReparseMatches,
// FuzzReparse); a piece that does not parse cleanly, and the file is
// parsed whole.
//
// A load after an edit also reuses evaluations (memo.go): the Loader
// keeps, per root module, what each resource instance's attributes and
// nested blocks evaluated to and what the evaluation read; an instance
// written in an unchanged file whose inputs (variables, locals, module
// outputs, data sources, the resources it reads) have their last values is
// not evaluated again (a block that moved: what it evaluated to, moved
// with it), its warnings are replayed. Nodes are always built
// afresh. The first load of a root module records nothing (a one-shot scan
// pays nothing); the second records; later ones reuse. The memo of a 5,000-resource module holds about 15 MB besides the
// 31 MB of parsed files.
//
// Where the time of a load goes (BenchmarkLoadModule5000, BenchmarkReload
// AfterEdit): about half is hclsyntax's lexer and parser (its tokens are
// most of the allocations), the rest evaluation and mapping to nodes; an
// edit re-parses the blocks it changed, evaluates what they change and
// maps every resource to nodes again.
package terraform
