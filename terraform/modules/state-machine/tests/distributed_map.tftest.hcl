# Distributed Map support: exactly the statements AWS documents for a Distributed Map with an
# ItemReader and a ResultWriter on S3, and nothing more, known at plan time (governance reads plan
# JSON). https://docs.aws.amazon.com/step-functions/latest/dg/iam-policies-eg-dist-map.html
mock_provider "aws" {
  mock_data "aws_partition" {
    defaults = {
      partition = "aws"
    }
  }
  mock_data "aws_region" {
    defaults = {
      name = "eu-west-1"
    }
  }
}

variables {
  name                      = "slipway-test-etl"
  definition                = file("tests/fixtures/hello.asl.json")
  account_id                = "123456789012"
  lambda_function_arns      = ["arn:aws:lambda:eu-west-1:123456789012:function:slipway-test-hello"]
  distributed_map_states    = ["TransformObjects", "TransformObjects"]
  item_reader_object_arns   = ["arn:aws:s3:::slipway-test-data-123456789012/staging/_runs/*"]
  result_writer_object_arns = ["arn:aws:s3:::slipway-test-data-123456789012/staging/_runs/*"]
  alarm_actions             = ["arn:aws:sns:eu-west-1:123456789012:slipway-test-alarms"]
}

run "distributed_map_statements_known_at_plan" {
  command = plan

  assert {
    condition = [for s in jsondecode(output.policy_json).Statement : s.Sid] == [
      "InvokeLambdaFunctions", "StartDistributedMapRuns", "ManageDistributedMapRunExecutions",
      "ReadDistributedMapItems", "WriteDistributedMapResults", "DeliverLogs", "WriteTraces",
    ]
    error_message = "Distributed Map statements come after the invoke statement, before the required ones."
  }

  assert {
    condition = [for s in jsondecode(output.policy_json).Statement : s if s.Sid == "StartDistributedMapRuns"][0] == {
      Sid      = "StartDistributedMapRuns"
      Effect   = "Allow"
      Action   = ["states:StartExecution"]
      Resource = ["arn:aws:states:eu-west-1:123456789012:stateMachine:slipway-test-etl"]
    }
    error_message = "states:StartExecution on this state machine only."
  }

  assert {
    condition = [for s in jsondecode(output.policy_json).Statement : s if s.Sid == "ManageDistributedMapRunExecutions"][0] == {
      Sid      = "ManageDistributedMapRunExecutions"
      Effect   = "Allow"
      Action   = ["states:DescribeExecution", "states:StopExecution"]
      Resource = ["arn:aws:states:eu-west-1:123456789012:execution:slipway-test-etl/TransformObjects:*"]
    }
    error_message = "DescribeExecution/StopExecution on the Map Run executions of each Distributed Map (once each), nothing else."
  }

  assert {
    condition = [for s in jsondecode(output.policy_json).Statement : s if s.Sid == "ReadDistributedMapItems"][0] == {
      Sid      = "ReadDistributedMapItems"
      Effect   = "Allow"
      Action   = ["s3:GetObject"]
      Resource = ["arn:aws:s3:::slipway-test-data-123456789012/staging/_runs/*"]
    }
    error_message = "The ItemReader reads the given prefix only."
  }

  assert {
    condition = [for s in jsondecode(output.policy_json).Statement : s if s.Sid == "WriteDistributedMapResults"][0] == {
      Sid      = "WriteDistributedMapResults"
      Effect   = "Allow"
      Action   = ["s3:PutObject", "s3:GetObject", "s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"]
      Resource = ["arn:aws:s3:::slipway-test-data-123456789012/staging/_runs/*"]
    }
    error_message = "The ResultWriter writes under the given prefix only, with the actions AWS documents."
  }
}

run "no_distributed_map_no_statements" {
  command = plan

  variables {
    distributed_map_states    = []
    item_reader_object_arns   = []
    result_writer_object_arns = []
  }

  assert {
    condition     = [for s in jsondecode(output.policy_json).Statement : s.Sid] == ["InvokeLambdaFunctions", "DeliverLogs", "WriteTraces"]
    error_message = "Without a Distributed Map the role gets no states:* or s3:* statement."
  }
}

run "refuses_a_whole_bucket_for_results" {
  command = plan

  variables {
    result_writer_object_arns = ["arn:aws:s3:::slipway-test-data-123456789012/*"]
  }

  expect_failures = [var.result_writer_object_arns]
}

run "refuses_a_wildcard_state_name" {
  command = plan

  variables {
    distributed_map_states = ["Transform*"]
  }

  expect_failures = [var.distributed_map_states]
}
