package describe

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// notModelled lists top-level keys of genuine AWS outputs that a dump made
// by CloudMapper, Batfish's collector or the AWS CLI holds beside the
// commands read here, with the command that prints each. They are skipped
// with one info diagnostic per key for the whole read, never an error, so
// a scan's exit code speaks of findings only. A key of no AWS output at all
// stays an error.
var notModelled = map[string]string{
	// EC2 and VPC.
	"AvailabilityZones": "ec2 describe-availability-zones", "Regions": "ec2 describe-regions",
	"Snapshots": "ec2 describe-snapshots", "Images": "ec2 describe-images",
	"FlowLogs": "ec2 describe-flow-logs", "VpnConnections": "ec2 describe-vpn-connections",
	"VpnGateways": "ec2 describe-vpn-gateways", "CustomerGateways": "ec2 describe-customer-gateways",
	"TransitGateways": "ec2 describe-transit-gateways", "TransitGatewayRouteTables": "ec2 describe-transit-gateway-route-tables",
	"TransitGatewayVpcAttachments":     "ec2 describe-transit-gateway-vpc-attachments",
	"TransitGatewayPeeringAttachments": "ec2 describe-transit-gateway-peering-attachments",
	"DhcpOptions":                      "ec2 describe-dhcp-options", "KeyPairs": "ec2 describe-key-pairs", "Tags": "describe-tags",
	"PlacementGroups": "ec2 describe-placement-groups", "SpotInstanceRequests": "ec2 describe-spot-instance-requests",
	"InstanceStatuses": "ec2 describe-instance-status", "AccountAttributes": "ec2 describe-account-attributes",
	"ServiceDetails": "ec2 describe-vpc-endpoint-services", "ServiceNames": "ec2 describe-vpc-endpoint-services",
	"ServiceConfigurations": "ec2 describe-vpc-endpoint-service-configurations",
	"ClientVpnEndpoints":    "ec2 describe-client-vpn-endpoints", "CarrierGateways": "ec2 describe-carrier-gateways",
	"LocalGatewayRouteTables": "ec2 describe-local-gateway-route-tables", "ReservedInstances": "ec2 describe-reserved-instances",
	"Hosts": "ec2 describe-hosts", "SecurityGroupReferenceSet": "ec2 describe-security-group-references",
	"StaleSecurityGroupSet": "ec2 describe-stale-security-groups", "NetworkInterfacePermissions": "ec2 describe-network-interface-permissions",
	"InstanceTypes": "ec2 describe-instance-types", "Ipv6Pools": "ec2 describe-ipv6-pools", "PublicIpv4Pools": "ec2 describe-public-ipv4-pools",
	"NetworkInsightsPaths": "ec2 describe-network-insights-paths", "FpgaImages": "ec2 describe-fpga-images",
	"EbsEncryptionByDefault": "ec2 get-ebs-encryption-by-default", "SnapshotBlockPublicAccessState": "ec2 get-snapshot-block-public-access-state",
	// Load balancing.
	"TagDescriptions": "elb/elbv2 describe-tags", "Rules": "elbv2 describe-rules", "SslPolicies": "elbv2 describe-ssl-policies",
	"Attributes": "elbv2 describe-*-attributes", "LoadBalancerAttributes": "elb describe-load-balancer-attributes",
	"PolicyDescriptions": "elb describe-load-balancer-policies", "InstanceStates": "elb describe-instance-health",
	"TrustStores": "elbv2 describe-trust-stores", "Certificates": "elbv2 describe-listener-certificates",
	// Auto Scaling.
	"LaunchConfigurations": "autoscaling describe-launch-configurations", "AutoScalingInstances": "autoscaling describe-auto-scaling-instances",
	"ScheduledUpdateGroupActions": "autoscaling describe-scheduled-actions", "LifecycleHooks": "autoscaling describe-lifecycle-hooks",
	"Activities": "autoscaling describe-scaling-activities", "NotificationConfigurations": "autoscaling describe-notification-configurations",
	// RDS.
	"DBParameterGroups": "rds describe-db-parameter-groups", "DBClusterParameterGroups": "rds describe-db-cluster-parameter-groups",
	"DBSnapshots": "rds describe-db-snapshots", "DBClusterSnapshots": "rds describe-db-cluster-snapshots",
	"DBSecurityGroups": "rds describe-db-security-groups", "OptionGroupsList": "rds describe-option-groups",
	"EventSubscriptionsList": "rds describe-event-subscriptions", "DBProxies": "rds describe-db-proxies",
	"DBEngineVersions": "rds describe-db-engine-versions", "Events": "describe-events",
	"PendingMaintenanceActions": "rds describe-pending-maintenance-actions", "ReservedDBInstances": "rds describe-reserved-db-instances",
	"GlobalClusters": "rds describe-global-clusters", "DBClusterEndpoints": "rds describe-db-cluster-endpoints", "TagList": "list-tags-for-resource",
	// IAM and STS.
	"Users": "iam list-users", "Roles": "iam list-roles", "Groups": "iam list-groups", "Policies": "list-policies",
	"UserDetailList": "iam get-account-authorization-details", "RoleDetailList": "iam get-account-authorization-details",
	"GroupDetailList": "iam get-account-authorization-details", "AccessKeyMetadata": "iam list-access-keys",
	"PolicyNames": "iam list-*-policies", "AttachedPolicies": "iam list-attached-*-policies", "InstanceProfiles": "iam list-instance-profiles",
	"ServerCertificateMetadataList": "iam list-server-certificates", "AccountAliases": "iam list-account-aliases",
	"SummaryMap": "iam get-account-summary", "Content": "iam get-credential-report", "PasswordPolicy": "iam get-account-password-policy",
	"MFADevices": "iam list-mfa-devices", "VirtualMFADevices": "iam list-virtual-mfa-devices",
	"SAMLProviderList": "iam list-saml-providers", "OpenIDConnectProviderList": "iam list-open-id-connect-providers",
	"PolicyVersion": "iam get-policy-version", "Policy": "get-*-policy", "Role": "iam get-role", "User": "iam get-user", "Group": "iam get-group",
	"UserId": "sts get-caller-identity",
	// Other services a CloudMapper or Batfish collection holds.
	"Buckets": "s3api list-buckets", "Owner": "s3api get-bucket-acl", "Grants": "s3api get-bucket-acl",
	"LocationConstraint": "s3api get-bucket-location", "PublicAccessBlockConfiguration": "get-public-access-block",
	"ServerSideEncryptionConfiguration": "s3api get-bucket-encryption",
	"Functions":                         "lambda list-functions", "TableNames": "dynamodb list-tables", "HostedZones": "route53 list-hosted-zones",
	"ResourceRecordSets": "route53 list-resource-record-sets", "DistributionList": "cloudfront list-distributions",
	"Clusters": "redshift describe-clusters", "CacheClusters": "elasticache describe-cache-clusters",
	"ReplicationGroups": "elasticache describe-replication-groups", "CacheSubnetGroups": "elasticache describe-cache-subnet-groups",
	"CertificateSummaryList": "acm list-certificates", "Keys": "kms list-keys", "Aliases": "kms list-aliases",
	"Topics": "sns list-topics", "Subscriptions": "sns list-subscriptions", "QueueUrls": "sqs list-queues",
	"Accounts": "organizations list-accounts", "Organization": "organizations describe-organization",
	"Roots": "organizations list-roots", "OrganizationalUnits": "organizations list-organizational-units-for-parent",
	"DetectorIds": "guardduty list-detectors", "ConfigurationRecorders": "configservice describe-configuration-recorders",
	"SecretList": "secretsmanager list-secrets", "FileSystems": "efs describe-file-systems", "DomainNames": "es list-domain-names",
	"VaultList": "glacier list-vaults", "StreamNames": "kinesis list-streams", "WebACLs": "waf list-web-acls",
	"ResourceTagMappingList": "resourcegroupstaggingapi get-resources", "DirectoryDescriptions": "ds describe-directories",
	"trailList": "cloudtrail describe-trails", "Trails": "cloudtrail list-trails",
	"EventSelectors": "cloudtrail get-event-selectors", "Identities": "ses list-identities",
}

// unmodelledDiags turns the not-modelled keys met in the files into one
// info diagnostic per key, at the first file that holds it.
func unmodelledDiags(scans []*fileScan) []graph.Diagnostic {
	type seen struct {
		files []string
		rng   graph.Range
	}
	byKey := map[string]*seen{}
	for _, f := range scans {
		if f == nil {
			continue
		}
		for _, u := range f.unmodelled {
			s := byKey[u.key]
			if s == nil {
				s = &seen{rng: u.rng}
				byKey[u.key] = s
			}
			s.files = append(s.files, f.path)
		}
	}
	keys := make([]string, 0, len(byKey))
	for k := range byKey {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]graph.Diagnostic, 0, len(keys))
	for _, k := range keys {
		s := byKey[k]
		where := s.files[0]
		if n := len(s.files); n > 1 {
			where = fmt.Sprintf("%d files (%s, …)", n, s.files[0])
		}
		out = append(out, graph.Diagnostic{
			Severity: graph.SeverityInfo,
			Summary:  fmt.Sprintf("not modelled: %s in %s", k, where),
			Detail: fmt.Sprintf("the output of %s is genuine AWS output that vpcgate does not read; skipped (files: %s)",
				notModelled[k], strings.Join(s.files, ", ")),
			Range: s.rng,
		})
	}
	return out
}
