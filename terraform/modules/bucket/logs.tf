# Server access logs (who read/wrote what) go to a separate, existing log bucket when one is given.
resource "aws_s3_bucket_logging" "this" {
  count = var.access_log_bucket == null ? 0 : 1

  bucket        = aws_s3_bucket.this.id
  target_bucket = var.access_log_bucket
  target_prefix = coalesce(var.access_log_prefix, "s3-access-logs/${var.bucket_name}/")
}
