# Both offline-safe: answered from the provider configuration, no API call.
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  # IAM role names are capped at 64 characters; state machine names at 80. Long names keep their
  # (prefix-scoped) start and get a stable hash so two long names never collide.
  role_name = length(var.name) <= 60 ? "${var.name}-sfn" : "${substr(var.name, 0, 51)}-${substr(sha1(var.name), 0, 8)}-sfn"

  lambda_function_arns      = distinct(var.lambda_function_arns)
  distributed_map_states    = distinct(var.distributed_map_states)
  item_reader_object_arns   = distinct(var.item_reader_object_arns)
  result_writer_object_arns = distinct(var.result_writer_object_arns)
  event_bus_arns            = distinct(var.event_bus_arns)
  mediaconvert_role_arns    = distinct(var.mediaconvert_role_arns)

  # Step Functions runs MediaConvert .sync tasks through an EventBridge rule it manages in the state
  # machine's account and region; the name is fixed by AWS.
  # https://docs.aws.amazon.com/step-functions/latest/dg/mediaconvert-iam.html
  mediaconvert_events_rule_arn = "arn:${data.aws_partition.current.partition}:events:${data.aws_region.current.name}:${var.account_id}:rule/StepFunctionsGetEventsForMediaConvertJobRule"

  # Built, not read back: the state machine needs the role, so its own ARN would be a cycle.
  state_machine_arn = "arn:${data.aws_partition.current.partition}:states:${data.aws_region.current.name}:${var.account_id}:stateMachine:${var.name}"

  # Confused-deputy protection: Step Functions may assume the role only for this state machine
  # (and its versions and aliases, "<arn>:<version|alias>") in this account.
  # https://docs.aws.amazon.com/step-functions/latest/dg/procedure-create-iam-role.html#prevent-cross-service-confused-deputy
  assume_role_policy = {
    Version = "2012-10-17"
    Statement = [{
      Sid       = "StatesAssumeRole"
      Effect    = "Allow"
      Principal = { Service = "states.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = {
        ArnLike      = { "aws:SourceArn" = [local.state_machine_arn, "${local.state_machine_arn}:*"] }
        StringEquals = { "aws:SourceAccount" = var.account_id }
      }
    }]
  }

  module_statements = concat(
    length(local.lambda_function_arns) > 0 ? [
      {
        # The unqualified ARN plus "<arn>:*" for published versions and aliases, nothing else.
        Sid      = "InvokeLambdaFunctions"
        Effect   = "Allow"
        Action   = ["lambda:InvokeFunction"]
        Resource = flatten([for arn in local.lambda_function_arns : [arn, "${arn}:*"]])
      },
    ] : [],
    # Distributed Map: each Map Run starts child executions of this state machine and watches or
    # stops exactly those (execution:<name>/<map state>:<id>). The ARN is built, not read back
    # (the state machine needs the role). https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html
    length(local.distributed_map_states) > 0 ? [
      {
        Sid      = "StartDistributedMapRuns"
        Effect   = "Allow"
        Action   = ["states:StartExecution"]
        Resource = [local.state_machine_arn]
      },
      {
        Sid      = "ManageDistributedMapRunExecutions"
        Effect   = "Allow"
        Action   = ["states:DescribeExecution", "states:StopExecution"]
        Resource = [for s in local.distributed_map_states : "arn:${data.aws_partition.current.partition}:states:${data.aws_region.current.name}:${var.account_id}:execution:${var.name}/${s}:*"]
      },
    ] : [],
    length(local.item_reader_object_arns) > 0 ? [
      {
        Sid      = "ReadDistributedMapItems"
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = local.item_reader_object_arns
      },
    ] : [],
    length(local.result_writer_object_arns) > 0 ? [
      {
        # ResultWriter writes manifest.json and the result files, multipart when they are large.
        Sid      = "WriteDistributedMapResults"
        Effect   = "Allow"
        Action   = ["s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"]
        Resource = local.result_writer_object_arns
      },
    ] : [],
    length(local.event_bus_arns) > 0 ? [
      {
        Sid      = "PutEventsToBuses"
        Effect   = "Allow"
        Action   = ["events:PutEvents"]
        Resource = local.event_bus_arns
      },
    ] : [],
    # (A for-filter, not "? [...] : []": the four statements differ in shape.)
    [for statement in [
      {
        # The job's role, and only to MediaConvert: the flow cannot hand these roles to anything else.
        Sid       = "PassMediaConvertRoles"
        Effect    = "Allow"
        Action    = ["iam:PassRole"]
        Resource  = local.mediaconvert_role_arns
        Condition = { StringEquals = { "iam:PassedToService" = "mediaconvert.amazonaws.com" } }
      },
      {
        # MediaConvert only partly supports resource-level permissions, and AWS documents
        # Resource "*" for these actions of the Step Functions integration.
        # https://docs.aws.amazon.com/step-functions/latest/dg/mediaconvert-iam.html
        # README: "Where `*` is unavoidable".
        Sid      = "RunMediaConvertJobs"
        Effect   = "Allow"
        Action   = ["mediaconvert:CreateJob", "mediaconvert:GetJob", "mediaconvert:CancelJob"]
        Resource = "*"
      },
      {
        # Step Functions tags every job it creates with ManagedByService = AWSStepFunctions, and
        # CreateJob with tags also authorizes mediaconvert:TagResource. Only that one tag.
        # https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselementalmediaconvert.html
        Sid      = "TagMediaConvertJobs"
        Effect   = "Allow"
        Action   = ["mediaconvert:TagResource"]
        Resource = "*"
        Condition = {
          StringEquals                = { "aws:RequestTag/ManagedByService" = "AWSStepFunctions" }
          "ForAllValues:StringEquals" = { "aws:TagKeys" = ["ManagedByService"] }
        }
      },
      {
        # .sync: Step Functions waits for the job through its managed rule, and nothing else.
        Sid      = "ManageMediaConvertJobEventsRule"
        Effect   = "Allow"
        Action   = ["events:PutTargets", "events:PutRule", "events:DescribeRule"]
        Resource = [local.mediaconvert_events_rule_arn]
      },
    ] : statement if length(local.mediaconvert_role_arns) > 0],
    [
      {
        # CloudWatch Logs vended delivery does not support resource-level permissions for these
        # actions; AWS documents Resource "*" for the state machine role.
        # https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html
        Sid    = "DeliverLogs"
        Effect = "Allow"
        Action = [
          "logs:CreateLogDelivery",
          "logs:GetLogDelivery",
          "logs:UpdateLogDelivery",
          "logs:DeleteLogDelivery",
          "logs:ListLogDeliveries",
          "logs:PutResourcePolicy",
          "logs:DescribeResourcePolicies",
          "logs:DescribeLogGroups",
        ]
        Resource = "*"
      },
      {
        # X-Ray has no resource-level permissions for these actions.
        # https://docs.aws.amazon.com/step-functions/latest/dg/xray-iam.html
        Sid    = "WriteTraces"
        Effect = "Allow"
        Action = [
          "xray:PutTraceSegments",
          "xray:PutTelemetryRecords",
          "xray:GetSamplingRules",
          "xray:GetSamplingTargets",
        ]
        Resource = "*"
      },
    ],
  )

  # Caller statements (already validated: concrete actions and ARNs). Condition is added only when
  # present, because IAM rejects "Condition": null; repeated operators are merged into one block.
  caller_statements = [
    for s in var.policy_statements : merge(
      {
        Sid      = s.sid
        Effect   = "Allow"
        Action   = s.actions
        Resource = s.resources
      },
      {
        for key, value in {
          Condition = {
            for test, variables in { for c in s.conditions : c.test => { (c.variable) = c.values }... } :
            test => merge(variables...)
          }
        } : key => value if length(s.conditions) > 0
      },
    )
  ]

  policy = {
    Version   = "2012-10-17"
    Statement = concat(local.module_statements, local.caller_statements)
  }
}

resource "aws_iam_role" "this" {
  name                 = local.role_name
  description          = "Execution role of state machine ${var.name} (managed by Terraform)."
  assume_role_policy   = jsonencode(local.assume_role_policy)
  permissions_boundary = var.permissions_boundary_arn

  tags = var.tags
}

resource "aws_iam_role_policy" "this" {
  name   = "least-privilege"
  role   = aws_iam_role.this.id
  policy = jsonencode(local.policy)
}
