package describe

import (
	rdstypes "github.com/aws/aws-sdk-go-v2/service/rds/types"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

func rdsTags(tags []rdstypes.Tag) map[string]string {
	return tagMap(tags, func(t rdstypes.Tag) (*string, *string) { return t.Key, t.Value })
}

// vpcSGs returns the ids of an RDS resource's VPC security groups.
func vpcSGs(ms []rdstypes.VpcSecurityGroupMembership) []string {
	var out []string
	for _, m := range ms {
		if id := str(m.VpcSecurityGroupId); id != "" {
			out = append(out, id)
		}
	}
	return out
}

func decodeDBInstance(c *chunk, el elem) {
	var v rdstypes.DBInstance
	if !decodeInto(c, el, &v) {
		return
	}
	id := str(v.DBInstanceIdentifier)
	n := &graph.DBInstance{
		Base:               c.base(graph.KindDBInstance, id, el, rdsTags(v.TagList), id),
		ARN:                str(v.DBInstanceArn),
		Engine:             str(v.Engine),
		EngineVersion:      str(v.EngineVersion),
		InstanceClass:      str(v.DBInstanceClass),
		MultiAZ:            boolv(v.MultiAZ),
		PubliclyAccessible: boolv(v.PubliclyAccessible),
		AllocatedStorage:   intv(v.AllocatedStorage),
		StorageType:        str(v.StorageType),
		StorageEncrypted:   boolv(v.StorageEncrypted),
		SecurityGroups:     vpcSGs(v.VpcSecurityGroups),
		AvailabilityZone:   str(v.AvailabilityZone),
		SecondaryAZ:        str(v.SecondaryAvailabilityZone),
		ClusterID:          str(v.DBClusterIdentifier),
		Status:             str(v.DBInstanceStatus),
		Count:              1,
	}
	if n.ARN != "" {
		n.Aliases = append(n.Aliases, n.ARN)
	}
	if v.Endpoint != nil && v.Endpoint.Port != nil {
		n.Port = int(*v.Endpoint.Port)
	} else {
		n.Port = intv(v.DbInstancePort)
	}
	if sg := v.DBSubnetGroup; sg != nil {
		n.DBSubnetGroup = str(sg.DBSubnetGroupName)
		n.VPCID = str(sg.VpcId)
		if sel, ok := c.member(el, "DBSubnetGroup"); ok && n.DBSubnetGroup != "" {
			c.addDerived(dbSubnetGroup(c, sel, sg))
		}
	}
	c.attr(&n.Base, el, "PubliclyAccessible", "publicly_accessible")
	c.attr(&n.Base, el, "MultiAZ", "multi_az")
	c.add(n)
}

func decodeDBCluster(c *chunk, el elem) {
	var v rdstypes.DBCluster
	if !decodeInto(c, el, &v) {
		return
	}
	id := str(v.DBClusterIdentifier)
	n := &graph.DBCluster{
		Base:               c.base(graph.KindDBCluster, id, el, rdsTags(v.TagList), id),
		ARN:                str(v.DBClusterArn),
		Engine:             str(v.Engine),
		EngineVersion:      str(v.EngineVersion),
		InstanceClass:      str(v.DBClusterInstanceClass),
		MultiAZ:            boolv(v.MultiAZ),
		PubliclyAccessible: boolv(v.PubliclyAccessible),
		StorageEncrypted:   boolv(v.StorageEncrypted),
		Port:               intv(v.Port),
		DBSubnetGroup:      str(v.DBSubnetGroup),
		SecurityGroups:     vpcSGs(v.VpcSecurityGroups),
		AvailabilityZones:  v.AvailabilityZones,
		Status:             str(v.Status),
	}
	if n.ARN != "" {
		n.Aliases = append(n.Aliases, n.ARN)
	}
	for _, m := range v.DBClusterMembers {
		if id := str(m.DBInstanceIdentifier); id != "" {
			n.Members = append(n.Members, id)
		}
	}
	c.attr(&n.Base, el, "PubliclyAccessible", "publicly_accessible")
	c.attr(&n.Base, el, "MultiAZ", "multi_az")
	c.add(n)
}

func decodeDBSubnetGroup(c *chunk, el elem) {
	var v rdstypes.DBSubnetGroup
	if !decodeInto(c, el, &v) {
		return
	}
	c.add(dbSubnetGroup(c, el, &v))
}

// dbSubnetGroup converts a DB subnet group (its own or one embedded in a
// DB instance).
func dbSubnetGroup(c *chunk, el elem, v *rdstypes.DBSubnetGroup) *graph.DBSubnetGroup {
	name := str(v.DBSubnetGroupName)
	n := &graph.DBSubnetGroup{
		Base:  c.base(graph.KindDBSubnetGroup, name, el, nil, name),
		VPCID: str(v.VpcId),
	}
	if arn := str(v.DBSubnetGroupArn); arn != "" {
		n.Aliases = append(n.Aliases, arn)
	}
	for _, s := range v.Subnets {
		if id := str(s.SubnetIdentifier); id != "" {
			n.SubnetIDs = append(n.SubnetIDs, id)
		}
		if s.SubnetAvailabilityZone != nil {
			if az := str(s.SubnetAvailabilityZone.Name); az != "" && !contains(n.AvailabilityZones, az) {
				n.AvailabilityZones = append(n.AvailabilityZones, az)
			}
		}
	}
	return n
}
