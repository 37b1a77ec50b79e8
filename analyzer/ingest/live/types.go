package live

import (
	asgtypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"
	elbtypes "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancing/types"
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"
)

// Short names of SDK element types used in ops.go.
type (
	elbtypesLB     = elbtypes.LoadBalancerDescription
	asgGroup       = asgtypes.AutoScalingGroup
	asgPolicy      = asgtypes.ScalingPolicy
	rdsInstance    = rdstypes.DBInstance
	rdsCluster     = rdstypes.DBCluster
	rdsSubnetGroup = rdstypes.DBSubnetGroup
)
