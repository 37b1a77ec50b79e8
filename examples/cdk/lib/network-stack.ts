import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** The design documents' network: a VPC over three AZs with public and
 * private-with-egress /24 subnets and a single NAT gateway. */
export class NetworkStack extends cdk.Stack {
  /** The VPC, handed to the application stack. */
  public readonly vpc: cdk.aws_ec2.Vpc;

  constructor(scope: Construct, id: string, props?: cdk.StackProps) {
    super(scope, id, props);
    this.vpc = new cdk.aws_ec2.Vpc(this, 'vpc', {
      vpcName: 'uat-vpc',
      maxAzs: 3,
      ipAddresses: cdk.aws_ec2.IpAddresses.cidr('10.0.0.0/16'),
      createInternetGateway: true,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      natGateways: 1,
      ipProtocol: cdk.aws_ec2.IpProtocol.IPV4_ONLY,
      subnetConfiguration: [
        { subnetType: cdk.aws_ec2.SubnetType.PUBLIC, name: 'public', mapPublicIpOnLaunch: false, cidrMask: 24 },
        { subnetType: cdk.aws_ec2.SubnetType.PRIVATE_WITH_EGRESS, name: 'private', cidrMask: 24 },
      ],
    });
  }
}
