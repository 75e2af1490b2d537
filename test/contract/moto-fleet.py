"""Builds the contract test's fleet in a running moto server: an organization with 3 member accounts and 8 EKS
clusters over 2 regions, with node groups and tags. Prints the fleet as JSON (account ids, clusters)."""
import json
import sys

import boto3

ENDPOINT = sys.argv[1]
REGIONS = ["eu-west-1", "us-east-1"]
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def client(service, region="us-east-1", creds=None):
    keys = KEYS if creds is None else {
        "aws_access_key_id": creds["AccessKeyId"],
        "aws_secret_access_key": creds["SecretAccessKey"],
        "aws_session_token": creds["SessionToken"],
    }
    return boto3.client(service, region_name=region, endpoint_url=ENDPOINT, **keys)


orgs = client("organizations")
orgs.create_organization(FeatureSet="ALL")
accounts = []
for name in ["payments", "search", "platform"]:
    status = orgs.create_account(Email=f"{name}@example.com", AccountName=name)["CreateAccountStatus"]
    accounts.append(status["AccountId"])

# (account index, region, name, version, node-group versions, tags)
CLUSTERS = [
    (0, "eu-west-1", "pay-prod", "1.31", ["1.31", "1.29"], {"team": "payments", "fleet-auditor/auto-upgrade": "true"}),
    (0, "eu-west-1", "pay-stage", "1.33", ["1.33"], {"team": "payments"}),
    (0, "us-east-1", "pay-us", "1.29", ["1.29"], {"fleet-auditor/auto-upgrade": "yes"}),
    (1, "eu-west-1", "search-prod", "1.32", ["1.32", "1.31"], {"fleet-auditor/auto-upgrade": "true"}),
    (1, "us-east-1", "search-us", "1.30", ["1.30"], {}),
    (2, "eu-west-1", "plat-tools", "1.34", ["1.34"], {"fleet-auditor/auto-upgrade": "false"}),
    (2, "us-east-1", "plat-ci", "1.28", ["1.28", "1.26"], {"team": "platform"}),
    (2, "us-east-1", "plat-edge", "1.33", [], {"fleet-auditor/auto-upgrade": "true", "fleet-auditor/wave": "1"}),
]

sts = client("sts")
creds = {}
for account in accounts:
    role = f"arn:aws:iam::{account}:role/fixture-admin"
    creds[account] = sts.assume_role(RoleArn=role, RoleSessionName="fixture")["Credentials"]

fleet = []
for index, region, name, version, nodegroups, tags in CLUSTERS:
    account = accounts[index]
    eks = client("eks", region, creds[account])
    role = f"arn:aws:iam::{account}:role/eks-cluster"
    eks.create_cluster(name=name, version=version, roleArn=role, resourcesVpcConfig={}, tags=tags)
    for i, ng_version in enumerate(nodegroups):
        eks.create_nodegroup(
            clusterName=name,
            nodegroupName=f"{name}-ng{i}",
            subnets=["subnet-1"],
            nodeRole=f"arn:aws:iam::{account}:role/eks-node",
            version=ng_version,
        )
    fleet.append({"accountId": account, "region": region, "name": name, "version": version,
                  "nodegroups": nodegroups, "tags": tags})

print(json.dumps({"accounts": accounts, "managementAccount": "123456789012", "clusters": fleet}))
