#!/usr/bin/env node
import * as cdk from 'aws-cdk-lib';
import { NetworkStack } from '../lib/network-stack';
import { HelloWorldApplicationStack } from '../lib/application-stack';

// A fixed account and region so that synthesis is reproducible; the AZ
// lookup for them is committed in cdk.context.json.
const envDetails = { account: '123456789012', region: 'us-east-1' };

const app = new cdk.App();
const network = new NetworkStack(app, 'NetworkStack', { env: envDetails });
new HelloWorldApplicationStack(app, 'HelloWorldApplicationStack', { env: envDetails, vpc: network.vpc });
