/**
 * Grants written out where CDK's own would use a wildcard that says more than we mean: the fleet table has one
 * index, so access names that index instead of `index/*`.
 */
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { TABLE_SCHEMA } from '../../functions/adapters/store/table-schema.ts';

/** Item-level DynamoDB actions the store adapter uses (single-item conditional writes, queries, scans). */
export const TABLE_DATA_ACTIONS: readonly string[] = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
  'dynamodb:DescribeTable',
];

/** KMS actions DynamoDB needs from a caller of a table encrypted with a customer-managed key. */
export const TABLE_KEY_ACTIONS: readonly string[] = [
  'kms:Decrypt',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:DescribeKey',
];

/**
 * Read and write of the fleet table and its `byTarget` and `sparse` indexes (by exact ARN), and use of the table's key.
 */
export function grantFleetTable(grantee: iam.IGrantable, table: dynamodb.ITable, key: kms.IKey): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({
      sid: 'FleetTable',
      actions: [...TABLE_DATA_ACTIONS],
      resources: [
        table.tableArn,
        `${table.tableArn}/index/${TABLE_SCHEMA.byTarget.indexName}`,
        `${table.tableArn}/index/${TABLE_SCHEMA.sparse.indexName}`,
      ],
    }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new iam.PolicyStatement({ sid: 'FleetTableKey', actions: [...TABLE_KEY_ACTIONS], resources: [key.keyArn] }),
  );
}
