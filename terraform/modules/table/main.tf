locals {
  # Every key of the table and of its GSIs, once. DynamoDB wants exactly the key attributes in
  # attribute_definitions: a non-key attribute is rejected, and so is one name defined twice.
  key_attributes = concat(
    [{ name = var.hash_key, type = var.hash_key_type }],
    var.range_key == null ? [] : [{ name = var.range_key, type = var.range_key_type }],
    flatten([for g in var.global_secondary_indexes : concat(
      [{ name = g.hash_key, type = g.hash_key_type }],
      g.range_key == null ? [] : [{ name = g.range_key, type = g.range_key_type }],
    )]),
  )
  # name => type. The GSI validation guarantees one type per name, so [0] loses nothing.
  attribute_types = { for name, types in { for a in local.key_attributes : a.name => a.type... } : name => types[0] }
}

resource "aws_dynamodb_table" "this" {
  name = var.table_name

  # Not configurable: on-demand has no capacity to size, throttle on or forget to scale, and
  # costs nothing when idle, which is what Slipway's bursty, event-driven workloads look like.
  billing_mode = "PAY_PER_REQUEST"

  hash_key  = var.hash_key
  range_key = var.range_key

  dynamic "attribute" {
    for_each = local.attribute_types
    content {
      name = attribute.key
      type = attribute.value
    }
  }

  dynamic "global_secondary_index" {
    for_each = var.global_secondary_indexes
    content {
      name               = global_secondary_index.value.name
      hash_key           = global_secondary_index.value.hash_key
      range_key          = global_secondary_index.value.range_key
      projection_type    = global_secondary_index.value.projection_type
      non_key_attributes = global_secondary_index.value.projection_type == "INCLUDE" ? global_secondary_index.value.non_key_attributes : null
    }
  }

  # Always on with KMS: enabled = true without a key is the AWS managed key (aws/dynamodb), whose
  # use CloudTrail records; enabled = false would be the AWS owned key, which leaves no trail.
  server_side_encryption {
    enabled     = true
    kms_key_arn = var.kms_key_arn
  }

  point_in_time_recovery {
    enabled = var.point_in_time_recovery
  }

  deletion_protection_enabled = var.deletion_protection

  # Rendered even when off, so turning TTL off is a visible change rather than a silent drift.
  ttl {
    enabled        = var.ttl_attribute != null
    attribute_name = var.ttl_attribute
  }

  tags = var.tags
}
