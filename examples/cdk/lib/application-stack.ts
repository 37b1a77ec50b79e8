import * as cdk from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** Props of the application stack: the VPC of the network stack. */
export interface HelloWorldApplicationStackProps extends cdk.StackProps {
  readonly vpc: cdk.aws_ec2.IVpc;
}

/** The design documents' application: an internet-facing ALB in the public
 * subnets in front of a Fargate service in the private subnets (no public
 * IP), scaled 1..3 tasks on CPU. */
export class HelloWorldApplicationStack extends cdk.Stack {
  constructor(scope: Construct, id: string, props: HelloWorldApplicationStackProps) {
    super(scope, id, props);
    const applicationId = 'HelloWorldApplication';
    const vpc = props.vpc;
    const applicationLoadBalancer = new cdk.aws_elasticloadbalancingv2.ApplicationLoadBalancer(this, `${applicationId}LoadBalancer`, {
      vpc: vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: cdk.aws_ec2.SubnetType.PUBLIC },
    });
    const taskRole = new cdk.aws_iam.Role(this, `${applicationId}TaskRole`, {
      assumedBy: new cdk.aws_iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      managedPolicies: [
        cdk.aws_iam.ManagedPolicy.fromAwsManagedPolicyName('SecretsManagerReadWrite'),
        cdk.aws_iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonS3FullAccess'),
      ],
    });
    const helloWorldApplication = new cdk.aws_ecs_patterns.ApplicationLoadBalancedFargateService(this, applicationId, {
      vpc: vpc,
      taskSubnets: { subnetType: cdk.aws_ec2.SubnetType.PRIVATE_WITH_EGRESS },
      loadBalancer: applicationLoadBalancer,
      assignPublicIp: false,
      cpu: 2048,
      memoryLimitMiB: 4096,
      taskImageOptions: {
        image: cdk.aws_ecs.ContainerImage.fromRegistry('crccheck/hello-world:latest'),
        containerPort: 8000,
        environment: { NODE_ENV: 'uat' },
        taskRole: taskRole,
      },
    });
    const scalableTarget = new cdk.aws_applicationautoscaling.ScalableTarget(this, `${applicationId}ScalingTarget`, {
      serviceNamespace: cdk.aws_applicationautoscaling.ServiceNamespace.ECS,
      resourceId: `service/${helloWorldApplication.cluster.clusterName}/${helloWorldApplication.service.serviceName}`,
      scalableDimension: 'ecs:service:DesiredCount',
      minCapacity: 1,
      maxCapacity: 3,
    });
    new cdk.aws_applicationautoscaling.TargetTrackingScalingPolicy(this, `${applicationId}ScalingPolicy`, {
      scalingTarget: scalableTarget,
      targetValue: 70,
      scaleOutCooldown: cdk.Duration.seconds(60),
      scaleInCooldown: cdk.Duration.seconds(60),
      predefinedMetric: cdk.aws_applicationautoscaling.PredefinedMetric.ECS_SERVICE_AVERAGE_CPU_UTILIZATION,
    });
  }
}
