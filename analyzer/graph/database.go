package graph

// DBInstance is an RDS DB instance. Its id is its identifier.
type DBInstance struct {
	Base
	ARN                string   `json:"arn,omitempty"`
	Engine             string   `json:"engine"`
	EngineVersion      string   `json:"engine_version,omitempty"`
	InstanceClass      string   `json:"instance_class"`
	MultiAZ            bool     `json:"multi_az"`
	PubliclyAccessible bool     `json:"publicly_accessible"`
	AllocatedStorage   int      `json:"allocated_storage,omitempty"` // GiB
	StorageType        string   `json:"storage_type,omitempty"`
	StorageEncrypted   bool     `json:"storage_encrypted"`
	Port               int      `json:"port,omitempty"`
	DBSubnetGroup      string   `json:"db_subnet_group,omitempty"` // node id
	VPCID              string   `json:"vpc_id,omitempty"`
	SecurityGroups     []string `json:"security_groups"`
	AvailabilityZone   string   `json:"availability_zone,omitempty"`
	SecondaryAZ        string   `json:"secondary_availability_zone,omitempty"`
	ClusterID          string   `json:"cluster_id,omitempty"`
	Status             string   `json:"status,omitempty"`
	Count              int      `json:"count,omitempty"` // IaC count; 1 otherwise
}

// Refs implements Node.
func (d *DBInstance) Refs() []Ref {
	var r refs
	r.add(EdgeSubnetGroup, d.DBSubnetGroup)
	r.add(EdgeUsesSG, d.SecurityGroups...)
	r.add(EdgeMemberOf, d.ClusterID)
	return r
}

// DBCluster is an RDS (Aurora or Multi-AZ) DB cluster. Its id is its
// identifier.
type DBCluster struct {
	Base
	ARN                string   `json:"arn,omitempty"`
	Engine             string   `json:"engine"`
	EngineVersion      string   `json:"engine_version,omitempty"`
	InstanceClass      string   `json:"instance_class,omitempty"` // Multi-AZ DB clusters
	MultiAZ            bool     `json:"multi_az"`
	PubliclyAccessible bool     `json:"publicly_accessible"`
	StorageEncrypted   bool     `json:"storage_encrypted"`
	Port               int      `json:"port,omitempty"`
	DBSubnetGroup      string   `json:"db_subnet_group,omitempty"`
	SecurityGroups     []string `json:"security_groups"`
	AvailabilityZones  []string `json:"availability_zones,omitempty"`
	Members            []string `json:"members,omitempty"` // DB instance ids
	Status             string   `json:"status,omitempty"`
}

// Refs implements Node.
func (c *DBCluster) Refs() []Ref {
	var r refs
	r.add(EdgeSubnetGroup, c.DBSubnetGroup)
	r.add(EdgeUsesSG, c.SecurityGroups...)
	return r
}

// DBSubnetGroup is an RDS DB subnet group. Its id is its name.
type DBSubnetGroup struct {
	Base
	VPCID     string   `json:"vpc_id"`
	SubnetIDs []string `json:"subnet_ids"`
	// AvailabilityZones of the subnets, as the input states them.
	AvailabilityZones []string `json:"availability_zones,omitempty"`
}

// Refs implements Node.
func (g *DBSubnetGroup) Refs() []Ref {
	var r refs
	r.add(EdgeInVPC, g.VPCID)
	r.add(EdgeInSubnet, g.SubnetIDs...)
	return r
}
