output "bus_name" {
  description = "Name of the event bus (event_bus_name of rules and targets, EventBusName of PutEvents)."
  value       = aws_cloudwatch_event_bus.this.name
}

output "bus_arn" {
  description = "ARN of the event bus (events:PutEvents resource). Known at plan time when account_id is set."
  value       = local.bus_arn
}

output "archive_name" {
  description = "Name of the archive (<name>-archive, hashed when long)."
  value       = aws_cloudwatch_event_archive.this.name
}

output "archive_arn" {
  description = "ARN of the archive (EventSourceArn/ArchiveArn of StartReplay). Known at plan time when account_id is set."
  value       = local.archive_arn
}
