# Asynchronous invocation (EventBridge rules and Scheduler schedules invoke asynchronously): how
# often Lambda retries an invocation that threw, how long it keeps a queued event, and where the
# record of an invocation that failed every attempt goes.
#
# The failure destination is the function's dead-letter target, as an on-failure destination
# rather than dead_letter_config: a destination receives the invocation record (requestPayload =
# the original event, responsePayload = the error, requestContext = condition and attempts),
# where a dead-letter queue receives the event alone. The function then has no dead_letter_config
# (main.tf), so a failure is written once. Lambda writes the record with the execution role
# (SendToDeadLetterTarget in iam.tf).
# https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
resource "aws_lambda_function_event_invoke_config" "this" {
  count = var.async_invocation == null ? 0 : 1

  function_name                = aws_lambda_function.this.function_name
  maximum_retry_attempts       = var.async_invocation.maximum_retry_attempts
  maximum_event_age_in_seconds = var.async_invocation.maximum_event_age_in_seconds

  destination_config {
    on_failure {
      destination = local.policy_dead_letter_arn
    }
  }

  # The role must be allowed to write the record before the first failure can happen.
  depends_on = [aws_iam_role_policy.this, aws_sqs_queue.dead_letter]
}
