package estate

// The output shapes below mirror the AWS CLI's JSON for each describe command: field names and
// nesting follow the API (and so the aws-sdk-go-v2 output types, which the tests decode into with
// unknown fields disallowed); field order follows what the CLI prints. Optional members are
// omitted when empty, lists the API always returns are kept even when empty.

type tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// ec2 describe-vpcs

type vpcCidrState struct {
	State string `json:"State"`
}

type vpcCidrAssoc struct {
	AssociationID  string       `json:"AssociationId"`
	CidrBlock      string       `json:"CidrBlock"`
	CidrBlockState vpcCidrState `json:"CidrBlockState"`
}

type blockPublicAccess struct {
	InternetGatewayBlockMode string `json:"InternetGatewayBlockMode"`
}

type vpcOut struct {
	OwnerID                     string            `json:"OwnerId"`
	InstanceTenancy             string            `json:"InstanceTenancy"`
	Ipv6CidrBlockAssociationSet []struct{}        `json:"Ipv6CidrBlockAssociationSet"`
	CidrBlockAssociationSet     []vpcCidrAssoc    `json:"CidrBlockAssociationSet"`
	IsDefault                   bool              `json:"IsDefault"`
	BlockPublicAccessStates     blockPublicAccess `json:"BlockPublicAccessStates"`
	VpcID                       string            `json:"VpcId"`
	State                       string            `json:"State"`
	CidrBlock                   string            `json:"CidrBlock"`
	DhcpOptionsID               string            `json:"DhcpOptionsId"`
	Tags                        []tag             `json:"Tags,omitempty"`
}

// ec2 describe-subnets

type privateDNSNameOptions struct {
	HostnameType                    string `json:"HostnameType"`
	EnableResourceNameDNSARecord    bool   `json:"EnableResourceNameDnsARecord"`
	EnableResourceNameDNSAAAARecord bool   `json:"EnableResourceNameDnsAAAARecord"`
}

type subnetOut struct {
	AvailabilityZoneID            string                `json:"AvailabilityZoneId"`
	MapCustomerOwnedIPOnLaunch    bool                  `json:"MapCustomerOwnedIpOnLaunch"`
	OwnerID                       string                `json:"OwnerId"`
	AssignIpv6AddressOnCreation   bool                  `json:"AssignIpv6AddressOnCreation"`
	Ipv6CidrBlockAssociationSet   []struct{}            `json:"Ipv6CidrBlockAssociationSet"`
	Tags                          []tag                 `json:"Tags,omitempty"`
	SubnetArn                     string                `json:"SubnetArn"`
	EnableDNS64                   bool                  `json:"EnableDns64"`
	Ipv6Native                    bool                  `json:"Ipv6Native"`
	PrivateDNSNameOptionsOnLaunch privateDNSNameOptions `json:"PrivateDnsNameOptionsOnLaunch"`
	SubnetID                      string                `json:"SubnetId"`
	State                         string                `json:"State"`
	VpcID                         string                `json:"VpcId"`
	CidrBlock                     string                `json:"CidrBlock"`
	AvailableIPAddressCount       int                   `json:"AvailableIpAddressCount"`
	AvailabilityZone              string                `json:"AvailabilityZone"`
	DefaultForAz                  bool                  `json:"DefaultForAz"`
	MapPublicIPOnLaunch           bool                  `json:"MapPublicIpOnLaunch"`
}

// ec2 describe-route-tables

type stateOnly struct {
	State string `json:"State"`
}

type rtAssoc struct {
	Main                    bool      `json:"Main"`
	RouteTableAssociationID string    `json:"RouteTableAssociationId"`
	RouteTableID            string    `json:"RouteTableId"`
	SubnetID                string    `json:"SubnetId,omitempty"`
	AssociationState        stateOnly `json:"AssociationState"`
}

type routeOut struct {
	DestinationCidrBlock string `json:"DestinationCidrBlock,omitempty"`
	GatewayID            string `json:"GatewayId,omitempty"`
	NatGatewayID         string `json:"NatGatewayId,omitempty"`
	Origin               string `json:"Origin"`
	State                string `json:"State"`
}

type routeTableOut struct {
	Associations    []rtAssoc  `json:"Associations"`
	PropagatingVgws []struct{} `json:"PropagatingVgws"`
	RouteTableID    string     `json:"RouteTableId"`
	Routes          []routeOut `json:"Routes"`
	Tags            []tag      `json:"Tags"`
	VpcID           string     `json:"VpcId"`
	OwnerID         string     `json:"OwnerId"`
}

// ec2 describe-internet-gateways

type igwAttachment struct {
	State string `json:"State"`
	VpcID string `json:"VpcId"`
}

type igwOut struct {
	Attachments       []igwAttachment `json:"Attachments"`
	InternetGatewayID string          `json:"InternetGatewayId"`
	OwnerID           string          `json:"OwnerId"`
	Tags              []tag           `json:"Tags"`
}

// ec2 describe-nat-gateways

type natAddress struct {
	AllocationID       string `json:"AllocationId"`
	NetworkInterfaceID string `json:"NetworkInterfaceId"`
	PrivateIP          string `json:"PrivateIp"`
	PublicIP           string `json:"PublicIp"`
	AssociationID      string `json:"AssociationId"`
	IsPrimary          bool   `json:"IsPrimary"`
	Status             string `json:"Status"`
}

type natOut struct {
	CreateTime          string       `json:"CreateTime"`
	NatGatewayAddresses []natAddress `json:"NatGatewayAddresses"`
	NatGatewayID        string       `json:"NatGatewayId"`
	State               string       `json:"State"`
	SubnetID            string       `json:"SubnetId"`
	VpcID               string       `json:"VpcId"`
	Tags                []tag        `json:"Tags"`
	ConnectivityType    string       `json:"ConnectivityType"`
}

// ec2 describe-addresses

type addressOut struct {
	AllocationID            string `json:"AllocationId"`
	AssociationID           string `json:"AssociationId,omitempty"`
	Domain                  string `json:"Domain"`
	NetworkInterfaceID      string `json:"NetworkInterfaceId,omitempty"`
	NetworkInterfaceOwnerID string `json:"NetworkInterfaceOwnerId,omitempty"`
	PrivateIPAddress        string `json:"PrivateIpAddress,omitempty"`
	Tags                    []tag  `json:"Tags,omitempty"`
	PublicIpv4Pool          string `json:"PublicIpv4Pool"`
	NetworkBorderGroup      string `json:"NetworkBorderGroup"`
	InstanceID              string `json:"InstanceId,omitempty"`
	PublicIP                string `json:"PublicIp"`
}

// ec2 describe-network-acls

type naclAssoc struct {
	NetworkACLAssociationID string `json:"NetworkAclAssociationId"`
	NetworkACLID            string `json:"NetworkAclId"`
	SubnetID                string `json:"SubnetId"`
}

type portRange struct {
	From int `json:"From"`
	To   int `json:"To"`
}

type naclEntry struct {
	CidrBlock  string     `json:"CidrBlock"`
	Egress     bool       `json:"Egress"`
	Protocol   string     `json:"Protocol"`
	PortRange  *portRange `json:"PortRange,omitempty"`
	RuleAction string     `json:"RuleAction"`
	RuleNumber int        `json:"RuleNumber"`
}

type naclOut struct {
	Associations []naclAssoc `json:"Associations"`
	Entries      []naclEntry `json:"Entries"`
	IsDefault    bool        `json:"IsDefault"`
	NetworkACLID string      `json:"NetworkAclId"`
	Tags         []tag       `json:"Tags"`
	VpcID        string      `json:"VpcId"`
	OwnerID      string      `json:"OwnerId"`
}

// ec2 describe-security-groups

type ipRange struct {
	CidrIP      string `json:"CidrIp"`
	Description string `json:"Description,omitempty"`
}

type ipv6Range struct {
	CidrIpv6    string `json:"CidrIpv6"`
	Description string `json:"Description,omitempty"`
}

type prefixListRef struct {
	Description  string `json:"Description,omitempty"`
	PrefixListID string `json:"PrefixListId"`
}

type groupPair struct {
	Description string `json:"Description,omitempty"`
	GroupID     string `json:"GroupId"`
	UserID      string `json:"UserId"`
}

type permission struct {
	FromPort         *int            `json:"FromPort,omitempty"`
	IPProtocol       string          `json:"IpProtocol"`
	IPRanges         []ipRange       `json:"IpRanges"`
	Ipv6Ranges       []ipv6Range     `json:"Ipv6Ranges"`
	PrefixListIDs    []prefixListRef `json:"PrefixListIds"`
	ToPort           *int            `json:"ToPort,omitempty"`
	UserIDGroupPairs []groupPair     `json:"UserIdGroupPairs"`
}

type securityGroupOut struct {
	Description         string       `json:"Description"`
	GroupName           string       `json:"GroupName"`
	IPPermissions       []permission `json:"IpPermissions"`
	OwnerID             string       `json:"OwnerId"`
	GroupID             string       `json:"GroupId"`
	IPPermissionsEgress []permission `json:"IpPermissionsEgress"`
	Tags                []tag        `json:"Tags,omitempty"`
	VpcID               string       `json:"VpcId"`
	SecurityGroupArn    string       `json:"SecurityGroupArn"`
}

// ec2 describe-security-group-rules

type referencedGroup struct {
	GroupID string `json:"GroupId"`
	UserID  string `json:"UserId"`
}

type securityGroupRuleOut struct {
	SecurityGroupRuleID  string           `json:"SecurityGroupRuleId"`
	GroupID              string           `json:"GroupId"`
	GroupOwnerID         string           `json:"GroupOwnerId"`
	IsEgress             bool             `json:"IsEgress"`
	IPProtocol           string           `json:"IpProtocol"`
	FromPort             int              `json:"FromPort"`
	ToPort               int              `json:"ToPort"`
	CidrIpv4             string           `json:"CidrIpv4,omitempty"`
	CidrIpv6             string           `json:"CidrIpv6,omitempty"`
	PrefixListID         string           `json:"PrefixListId,omitempty"`
	ReferencedGroupInfo  *referencedGroup `json:"ReferencedGroupInfo,omitempty"`
	Description          string           `json:"Description,omitempty"`
	Tags                 []tag            `json:"Tags"`
	SecurityGroupRuleArn string           `json:"SecurityGroupRuleArn"`
}

// ec2 describe-managed-prefix-lists and get-managed-prefix-list-entries

type prefixListOut struct {
	PrefixListID   string `json:"PrefixListId"`
	AddressFamily  string `json:"AddressFamily"`
	State          string `json:"State"`
	PrefixListArn  string `json:"PrefixListArn"`
	PrefixListName string `json:"PrefixListName"`
	MaxEntries     int    `json:"MaxEntries"`
	Version        int    `json:"Version"`
	Tags           []tag  `json:"Tags"`
	OwnerID        string `json:"OwnerId"`
}

type prefixListEntry struct {
	Cidr        string `json:"Cidr"`
	Description string `json:"Description,omitempty"`
}

type prefixListEntriesDoc struct {
	PrefixListID string            `json:"PrefixListId"`
	Entries      []prefixListEntry `json:"Entries"`
}

// ec2 describe-instances

type groupIdentifier struct {
	GroupID   string `json:"GroupId"`
	GroupName string `json:"GroupName"`
}

type ebsDevice struct {
	AttachTime          string `json:"AttachTime"`
	DeleteOnTermination bool   `json:"DeleteOnTermination"`
	Status              string `json:"Status"`
	VolumeID            string `json:"VolumeId"`
}

type blockDevice struct {
	DeviceName string    `json:"DeviceName"`
	Ebs        ebsDevice `json:"Ebs"`
}

type ipAssociation struct {
	AllocationID  string `json:"AllocationId,omitempty"`
	AssociationID string `json:"AssociationId,omitempty"`
	IPOwnerID     string `json:"IpOwnerId"`
	PublicDNSName string `json:"PublicDnsName"`
	PublicIP      string `json:"PublicIp"`
}

type instanceENIAttachment struct {
	AttachTime          string `json:"AttachTime"`
	AttachmentID        string `json:"AttachmentId"`
	DeleteOnTermination bool   `json:"DeleteOnTermination"`
	DeviceIndex         int    `json:"DeviceIndex"`
	Status              string `json:"Status"`
	NetworkCardIndex    int    `json:"NetworkCardIndex"`
}

type privateIP struct {
	Association      *ipAssociation `json:"Association,omitempty"`
	Primary          bool           `json:"Primary"`
	PrivateDNSName   string         `json:"PrivateDnsName"`
	PrivateIPAddress string         `json:"PrivateIpAddress"`
}

type instanceENI struct {
	Association        *ipAssociation        `json:"Association,omitempty"`
	Attachment         instanceENIAttachment `json:"Attachment"`
	Description        string                `json:"Description"`
	Groups             []groupIdentifier     `json:"Groups"`
	Ipv6Addresses      []struct{}            `json:"Ipv6Addresses"`
	MacAddress         string                `json:"MacAddress"`
	NetworkInterfaceID string                `json:"NetworkInterfaceId"`
	OwnerID            string                `json:"OwnerId"`
	PrivateDNSName     string                `json:"PrivateDnsName"`
	PrivateIPAddress   string                `json:"PrivateIpAddress"`
	PrivateIPAddresses []privateIP           `json:"PrivateIpAddresses"`
	SourceDestCheck    bool                  `json:"SourceDestCheck"`
	Status             string                `json:"Status"`
	SubnetID           string                `json:"SubnetId"`
	VpcID              string                `json:"VpcId"`
	InterfaceType      string                `json:"InterfaceType"`
}

type monitoring struct {
	State string `json:"State"`
}

type placement struct {
	AvailabilityZone string `json:"AvailabilityZone"`
	GroupName        string `json:"GroupName"`
	Tenancy          string `json:"Tenancy"`
}

type instanceState struct {
	Code int    `json:"Code"`
	Name string `json:"Name"`
}

type stateReason struct {
	Code    string `json:"Code"`
	Message string `json:"Message"`
}

type iamProfile struct {
	Arn string `json:"Arn"`
	ID  string `json:"Id"`
}

type metadataOptions struct {
	State                   string `json:"State"`
	HTTPTokens              string `json:"HttpTokens"`
	HTTPPutResponseHopLimit int    `json:"HttpPutResponseHopLimit"`
	HTTPEndpoint            string `json:"HttpEndpoint"`
	HTTPProtocolIpv6        string `json:"HttpProtocolIpv6"`
	InstanceMetadataTags    string `json:"InstanceMetadataTags"`
}

type enabledOnly struct {
	Enabled bool `json:"Enabled"`
}

type instanceOut struct {
	AmiLaunchIndex        int               `json:"AmiLaunchIndex"`
	ImageID               string            `json:"ImageId"`
	InstanceID            string            `json:"InstanceId"`
	InstanceType          string            `json:"InstanceType"`
	KeyName               string            `json:"KeyName,omitempty"`
	LaunchTime            string            `json:"LaunchTime"`
	Monitoring            monitoring        `json:"Monitoring"`
	Placement             placement         `json:"Placement"`
	PrivateDNSName        string            `json:"PrivateDnsName"`
	PrivateIPAddress      string            `json:"PrivateIpAddress"`
	ProductCodes          []struct{}        `json:"ProductCodes"`
	PublicDNSName         string            `json:"PublicDnsName"`
	PublicIPAddress       string            `json:"PublicIpAddress,omitempty"`
	State                 instanceState     `json:"State"`
	StateTransitionReason string            `json:"StateTransitionReason"`
	SubnetID              string            `json:"SubnetId"`
	VpcID                 string            `json:"VpcId"`
	Architecture          string            `json:"Architecture"`
	BlockDeviceMappings   []blockDevice     `json:"BlockDeviceMappings"`
	ClientToken           string            `json:"ClientToken"`
	EbsOptimized          bool              `json:"EbsOptimized"`
	EnaSupport            bool              `json:"EnaSupport"`
	Hypervisor            string            `json:"Hypervisor"`
	IamInstanceProfile    *iamProfile       `json:"IamInstanceProfile,omitempty"`
	NetworkInterfaces     []instanceENI     `json:"NetworkInterfaces"`
	RootDeviceName        string            `json:"RootDeviceName"`
	RootDeviceType        string            `json:"RootDeviceType"`
	SecurityGroups        []groupIdentifier `json:"SecurityGroups"`
	SourceDestCheck       bool              `json:"SourceDestCheck"`
	StateReason           *stateReason      `json:"StateReason,omitempty"`
	Tags                  []tag             `json:"Tags"`
	VirtualizationType    string            `json:"VirtualizationType"`
	MetadataOptions       metadataOptions   `json:"MetadataOptions"`
	PlatformDetails       string            `json:"PlatformDetails"`
	UsageOperation        string            `json:"UsageOperation"`
}

type reservationOut struct {
	Groups        []struct{}    `json:"Groups"`
	Instances     []instanceOut `json:"Instances"`
	OwnerID       string        `json:"OwnerId"`
	RequesterID   string        `json:"RequesterId,omitempty"`
	ReservationID string        `json:"ReservationId"`
}

// ec2 describe-network-interfaces

type eniAttachment struct {
	AttachTime          string `json:"AttachTime,omitempty"`
	AttachmentID        string `json:"AttachmentId"`
	DeleteOnTermination bool   `json:"DeleteOnTermination"`
	DeviceIndex         int    `json:"DeviceIndex"`
	NetworkCardIndex    int    `json:"NetworkCardIndex"`
	InstanceID          string `json:"InstanceId,omitempty"`
	InstanceOwnerID     string `json:"InstanceOwnerId"`
	Status              string `json:"Status"`
}

type networkInterfaceOut struct {
	Association        *ipAssociation    `json:"Association,omitempty"`
	Attachment         *eniAttachment    `json:"Attachment,omitempty"`
	AvailabilityZone   string            `json:"AvailabilityZone"`
	Description        string            `json:"Description"`
	Groups             []groupIdentifier `json:"Groups"`
	InterfaceType      string            `json:"InterfaceType"`
	Ipv6Addresses      []struct{}        `json:"Ipv6Addresses"`
	MacAddress         string            `json:"MacAddress"`
	NetworkInterfaceID string            `json:"NetworkInterfaceId"`
	OwnerID            string            `json:"OwnerId"`
	PrivateDNSName     string            `json:"PrivateDnsName"`
	PrivateIPAddress   string            `json:"PrivateIpAddress"`
	PrivateIPAddresses []privateIP       `json:"PrivateIpAddresses"`
	RequesterID        string            `json:"RequesterId,omitempty"`
	RequesterManaged   bool              `json:"RequesterManaged"`
	SourceDestCheck    bool              `json:"SourceDestCheck"`
	Status             string            `json:"Status"`
	SubnetID           string            `json:"SubnetId"`
	TagSet             []tag             `json:"TagSet"`
	VpcID              string            `json:"VpcId"`
}

// ec2 describe-launch-templates and describe-launch-template-versions

type launchTemplateOut struct {
	CreateTime           string `json:"CreateTime"`
	CreatedBy            string `json:"CreatedBy"`
	DefaultVersionNumber int    `json:"DefaultVersionNumber"`
	LatestVersionNumber  int    `json:"LatestVersionNumber"`
	LaunchTemplateID     string `json:"LaunchTemplateId"`
	LaunchTemplateName   string `json:"LaunchTemplateName"`
	Tags                 []tag  `json:"Tags,omitempty"`
}

type ltEbs struct {
	Encrypted           bool   `json:"Encrypted"`
	DeleteOnTermination bool   `json:"DeleteOnTermination"`
	VolumeSize          int    `json:"VolumeSize"`
	VolumeType          string `json:"VolumeType"`
}

type ltBlockDevice struct {
	DeviceName string `json:"DeviceName"`
	Ebs        ltEbs  `json:"Ebs"`
}

type ltIAMProfile struct {
	Arn string `json:"Arn"`
}

type ltMetadataOptions struct {
	HTTPTokens              string `json:"HttpTokens"`
	HTTPPutResponseHopLimit int    `json:"HttpPutResponseHopLimit"`
	HTTPEndpoint            string `json:"HttpEndpoint"`
}

type tagSpecification struct {
	ResourceType string `json:"ResourceType"`
	Tags         []tag  `json:"Tags"`
}

type launchTemplateData struct {
	IamInstanceProfile  ltIAMProfile       `json:"IamInstanceProfile"`
	BlockDeviceMappings []ltBlockDevice    `json:"BlockDeviceMappings"`
	ImageID             string             `json:"ImageId"`
	InstanceType        string             `json:"InstanceType"`
	KeyName             string             `json:"KeyName,omitempty"`
	Monitoring          enabledOnly        `json:"Monitoring"`
	UserData            string             `json:"UserData,omitempty"`
	TagSpecifications   []tagSpecification `json:"TagSpecifications"`
	SecurityGroupIDs    []string           `json:"SecurityGroupIds"`
	MetadataOptions     ltMetadataOptions  `json:"MetadataOptions"`
}

type launchTemplateVersionOut struct {
	LaunchTemplateID   string             `json:"LaunchTemplateId"`
	LaunchTemplateName string             `json:"LaunchTemplateName"`
	VersionNumber      int                `json:"VersionNumber"`
	VersionDescription string             `json:"VersionDescription,omitempty"`
	CreateTime         string             `json:"CreateTime"`
	CreatedBy          string             `json:"CreatedBy"`
	DefaultVersion     bool               `json:"DefaultVersion"`
	LaunchTemplateData launchTemplateData `json:"LaunchTemplateData"`
}

// elbv2 describe-load-balancers, describe-listeners, describe-target-groups, describe-target-health

type lbState struct {
	Code string `json:"Code"`
}

type lbAZ struct {
	ZoneName              string     `json:"ZoneName"`
	SubnetID              string     `json:"SubnetId"`
	LoadBalancerAddresses []struct{} `json:"LoadBalancerAddresses"`
}

type loadBalancerOut struct {
	LoadBalancerArn       string   `json:"LoadBalancerArn"`
	DNSName               string   `json:"DNSName"`
	CanonicalHostedZoneID string   `json:"CanonicalHostedZoneId"`
	CreatedTime           string   `json:"CreatedTime"`
	LoadBalancerName      string   `json:"LoadBalancerName"`
	Scheme                string   `json:"Scheme"`
	VpcID                 string   `json:"VpcId"`
	State                 lbState  `json:"State"`
	Type                  string   `json:"Type"`
	AvailabilityZones     []lbAZ   `json:"AvailabilityZones"`
	SecurityGroups        []string `json:"SecurityGroups"`
	IPAddressType         string   `json:"IpAddressType"`
}

type certificate struct {
	CertificateArn string `json:"CertificateArn"`
}

type redirectConfig struct {
	Protocol   string `json:"Protocol"`
	Port       string `json:"Port"`
	Host       string `json:"Host"`
	Path       string `json:"Path"`
	Query      string `json:"Query"`
	StatusCode string `json:"StatusCode"`
}

type weightedTG struct {
	TargetGroupArn string `json:"TargetGroupArn"`
	Weight         int    `json:"Weight"`
}

type forwardConfig struct {
	TargetGroups                []weightedTG `json:"TargetGroups"`
	TargetGroupStickinessConfig enabledOnly  `json:"TargetGroupStickinessConfig"`
}

type action struct {
	Type           string          `json:"Type"`
	TargetGroupArn string          `json:"TargetGroupArn,omitempty"`
	Order          int             `json:"Order"`
	RedirectConfig *redirectConfig `json:"RedirectConfig,omitempty"`
	ForwardConfig  *forwardConfig  `json:"ForwardConfig,omitempty"`
}

type listenerOut struct {
	ListenerArn     string        `json:"ListenerArn"`
	LoadBalancerArn string        `json:"LoadBalancerArn"`
	Port            int           `json:"Port"`
	Protocol        string        `json:"Protocol"`
	Certificates    []certificate `json:"Certificates,omitempty"`
	SslPolicy       string        `json:"SslPolicy,omitempty"`
	DefaultActions  []action      `json:"DefaultActions"`
}

type matcher struct {
	HTTPCode string `json:"HttpCode"`
}

type targetGroupOut struct {
	TargetGroupArn             string   `json:"TargetGroupArn"`
	TargetGroupName            string   `json:"TargetGroupName"`
	Protocol                   string   `json:"Protocol"`
	Port                       int      `json:"Port"`
	VpcID                      string   `json:"VpcId"`
	HealthCheckProtocol        string   `json:"HealthCheckProtocol"`
	HealthCheckPort            string   `json:"HealthCheckPort"`
	HealthCheckEnabled         bool     `json:"HealthCheckEnabled"`
	HealthCheckIntervalSeconds int      `json:"HealthCheckIntervalSeconds"`
	HealthCheckTimeoutSeconds  int      `json:"HealthCheckTimeoutSeconds"`
	HealthyThresholdCount      int      `json:"HealthyThresholdCount"`
	UnhealthyThresholdCount    int      `json:"UnhealthyThresholdCount"`
	HealthCheckPath            string   `json:"HealthCheckPath"`
	Matcher                    matcher  `json:"Matcher"`
	LoadBalancerArns           []string `json:"LoadBalancerArns"`
	TargetType                 string   `json:"TargetType"`
	ProtocolVersion            string   `json:"ProtocolVersion"`
	IPAddressType              string   `json:"IpAddressType"`
}

type target struct {
	ID   string `json:"Id"`
	Port int    `json:"Port"`
}

type targetHealth struct {
	State       string `json:"State"`
	Reason      string `json:"Reason,omitempty"`
	Description string `json:"Description,omitempty"`
}

type targetHealthDescription struct {
	Target          target       `json:"Target"`
	HealthCheckPort string       `json:"HealthCheckPort"`
	TargetHealth    targetHealth `json:"TargetHealth"`
}

type targetHealthDoc struct {
	TargetGroupArn           string                    `json:"TargetGroupArn"`
	TargetHealthDescriptions []targetHealthDescription `json:"TargetHealthDescriptions"`
}

// autoscaling describe-auto-scaling-groups and describe-policies

type asgLaunchTemplate struct {
	LaunchTemplateID   string `json:"LaunchTemplateId"`
	LaunchTemplateName string `json:"LaunchTemplateName"`
	Version            string `json:"Version"`
}

type asgInstance struct {
	InstanceID           string            `json:"InstanceId"`
	InstanceType         string            `json:"InstanceType"`
	AvailabilityZone     string            `json:"AvailabilityZone"`
	LifecycleState       string            `json:"LifecycleState"`
	HealthStatus         string            `json:"HealthStatus"`
	LaunchTemplate       asgLaunchTemplate `json:"LaunchTemplate"`
	ProtectedFromScaleIn bool              `json:"ProtectedFromScaleIn"`
}

type asgTag struct {
	ResourceID        string `json:"ResourceId"`
	ResourceType      string `json:"ResourceType"`
	Key               string `json:"Key"`
	Value             string `json:"Value"`
	PropagateAtLaunch bool   `json:"PropagateAtLaunch"`
}

type trafficSource struct {
	Identifier string `json:"Identifier"`
	Type       string `json:"Type"`
}

type autoScalingGroupOut struct {
	AutoScalingGroupName             string            `json:"AutoScalingGroupName"`
	AutoScalingGroupARN              string            `json:"AutoScalingGroupARN"`
	LaunchTemplate                   asgLaunchTemplate `json:"LaunchTemplate"`
	MinSize                          int               `json:"MinSize"`
	MaxSize                          int               `json:"MaxSize"`
	DesiredCapacity                  int               `json:"DesiredCapacity"`
	DefaultCooldown                  int               `json:"DefaultCooldown"`
	AvailabilityZones                []string          `json:"AvailabilityZones"`
	LoadBalancerNames                []string          `json:"LoadBalancerNames"`
	TargetGroupARNs                  []string          `json:"TargetGroupARNs"`
	HealthCheckType                  string            `json:"HealthCheckType"`
	HealthCheckGracePeriod           int               `json:"HealthCheckGracePeriod"`
	Instances                        []asgInstance     `json:"Instances"`
	CreatedTime                      string            `json:"CreatedTime"`
	SuspendedProcesses               []struct{}        `json:"SuspendedProcesses"`
	VPCZoneIdentifier                string            `json:"VPCZoneIdentifier"`
	EnabledMetrics                   []struct{}        `json:"EnabledMetrics"`
	Tags                             []asgTag          `json:"Tags"`
	TerminationPolicies              []string          `json:"TerminationPolicies"`
	NewInstancesProtectedFromScaleIn bool              `json:"NewInstancesProtectedFromScaleIn"`
	ServiceLinkedRoleARN             string            `json:"ServiceLinkedRoleARN"`
	CapacityRebalance                bool              `json:"CapacityRebalance"`
	TrafficSources                   []trafficSource   `json:"TrafficSources"`
}

type alarm struct {
	AlarmName string `json:"AlarmName"`
	AlarmARN  string `json:"AlarmARN"`
}

type predefinedMetric struct {
	PredefinedMetricType string `json:"PredefinedMetricType"`
}

type targetTracking struct {
	PredefinedMetricSpecification predefinedMetric `json:"PredefinedMetricSpecification"`
	TargetValue                   float64          `json:"TargetValue"`
	DisableScaleIn                bool             `json:"DisableScaleIn"`
}

type scalingPolicyOut struct {
	AutoScalingGroupName        string         `json:"AutoScalingGroupName"`
	PolicyName                  string         `json:"PolicyName"`
	PolicyARN                   string         `json:"PolicyARN"`
	PolicyType                  string         `json:"PolicyType"`
	StepAdjustments             []struct{}     `json:"StepAdjustments"`
	EstimatedInstanceWarmup     int            `json:"EstimatedInstanceWarmup"`
	Alarms                      []alarm        `json:"Alarms"`
	TargetTrackingConfiguration targetTracking `json:"TargetTrackingConfiguration"`
	Enabled                     bool           `json:"Enabled"`
}

// rds describe-db-instances and describe-db-subnet-groups

type dbEndpoint struct {
	Address      string `json:"Address"`
	Port         int    `json:"Port"`
	HostedZoneID string `json:"HostedZoneId"`
}

type vpcSecurityGroupMembership struct {
	VpcSecurityGroupID string `json:"VpcSecurityGroupId"`
	Status             string `json:"Status"`
}

type dbParameterGroupStatus struct {
	DBParameterGroupName string `json:"DBParameterGroupName"`
	ParameterApplyStatus string `json:"ParameterApplyStatus"`
}

type nameOnly struct {
	Name string `json:"Name"`
}

type dbSubnet struct {
	SubnetIdentifier       string   `json:"SubnetIdentifier"`
	SubnetAvailabilityZone nameOnly `json:"SubnetAvailabilityZone"`
	SubnetOutpost          struct{} `json:"SubnetOutpost"`
	SubnetStatus           string   `json:"SubnetStatus"`
}

type dbSubnetGroupOut struct {
	DBSubnetGroupName        string     `json:"DBSubnetGroupName"`
	DBSubnetGroupDescription string     `json:"DBSubnetGroupDescription"`
	VpcID                    string     `json:"VpcId"`
	SubnetGroupStatus        string     `json:"SubnetGroupStatus"`
	Subnets                  []dbSubnet `json:"Subnets"`
	DBSubnetGroupArn         string     `json:"DBSubnetGroupArn,omitempty"`
	SupportedNetworkTypes    []string   `json:"SupportedNetworkTypes"`
}

type optionGroupMembership struct {
	OptionGroupName string `json:"OptionGroupName"`
	Status          string `json:"Status"`
}

type dbInstanceOut struct {
	DBInstanceIdentifier             string                       `json:"DBInstanceIdentifier"`
	DBInstanceClass                  string                       `json:"DBInstanceClass"`
	Engine                           string                       `json:"Engine"`
	DBInstanceStatus                 string                       `json:"DBInstanceStatus"`
	MasterUsername                   string                       `json:"MasterUsername"`
	DBName                           string                       `json:"DBName"`
	Endpoint                         dbEndpoint                   `json:"Endpoint"`
	AllocatedStorage                 int                          `json:"AllocatedStorage"`
	InstanceCreateTime               string                       `json:"InstanceCreateTime"`
	PreferredBackupWindow            string                       `json:"PreferredBackupWindow"`
	BackupRetentionPeriod            int                          `json:"BackupRetentionPeriod"`
	DBSecurityGroups                 []struct{}                   `json:"DBSecurityGroups"`
	VpcSecurityGroups                []vpcSecurityGroupMembership `json:"VpcSecurityGroups"`
	DBParameterGroups                []dbParameterGroupStatus     `json:"DBParameterGroups"`
	AvailabilityZone                 string                       `json:"AvailabilityZone"`
	DBSubnetGroup                    dbSubnetGroupOut             `json:"DBSubnetGroup"`
	PreferredMaintenanceWindow       string                       `json:"PreferredMaintenanceWindow"`
	LatestRestorableTime             string                       `json:"LatestRestorableTime"`
	MultiAZ                          bool                         `json:"MultiAZ"`
	EngineVersion                    string                       `json:"EngineVersion"`
	AutoMinorVersionUpgrade          bool                         `json:"AutoMinorVersionUpgrade"`
	ReadReplicaDBInstanceIdentifiers []string                     `json:"ReadReplicaDBInstanceIdentifiers"`
	LicenseModel                     string                       `json:"LicenseModel"`
	OptionGroupMemberships           []optionGroupMembership      `json:"OptionGroupMemberships"`
	SecondaryAvailabilityZone        string                       `json:"SecondaryAvailabilityZone,omitempty"`
	PubliclyAccessible               bool                         `json:"PubliclyAccessible"`
	StorageType                      string                       `json:"StorageType"`
	DbInstancePort                   int                          `json:"DbInstancePort"`
	StorageEncrypted                 bool                         `json:"StorageEncrypted"`
	KmsKeyID                         string                       `json:"KmsKeyId,omitempty"`
	DbiResourceID                    string                       `json:"DbiResourceId"`
	CACertificateIdentifier          string                       `json:"CACertificateIdentifier"`
	DomainMemberships                []struct{}                   `json:"DomainMemberships"`
	CopyTagsToSnapshot               bool                         `json:"CopyTagsToSnapshot"`
	MonitoringInterval               int                          `json:"MonitoringInterval"`
	DBInstanceArn                    string                       `json:"DBInstanceArn"`
	IAMDatabaseAuthenticationEnabled bool                         `json:"IAMDatabaseAuthenticationEnabled"`
	PerformanceInsightsEnabled       bool                         `json:"PerformanceInsightsEnabled"`
	DeletionProtection               bool                         `json:"DeletionProtection"`
	AssociatedRoles                  []struct{}                   `json:"AssociatedRoles"`
	TagList                          []tag                        `json:"TagList"`
	CustomerOwnedIPEnabled           bool                         `json:"CustomerOwnedIpEnabled"`
	BackupTarget                     string                       `json:"BackupTarget"`
	NetworkType                      string                       `json:"NetworkType"`
	StorageThroughput                int                          `json:"StorageThroughput"`
	Iops                             int                          `json:"Iops,omitempty"`
}
