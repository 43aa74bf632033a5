# Per environment: the customer-managed key of its Terraform state (S3 SSE-KMS under
# "<env>/" of the state bucket) and of its sealed plan artifacts (envelope encryption by
# tools/delivery). Two uses, told apart by the encryption context KMS authenticates with every
# ciphertext, so a grant for one use never opens the other:
#
# - state: S3 sends {"aws:s3:arn": "arn:…:s3:::<state bucket>/<env>/<key>"}, through S3 only
#   (kms:ViaService). No S3 Bucket Key: with one, the context becomes the bucket's ARN and no
#   "<env>/" condition could match (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html).
# - plans: {"slipway:purpose": "plan", "slipway:environment": "<env>"}, called directly (no
#   ViaService). The plan role seals (GenerateDataKey) and can never open (Decrypt); the deploy
#   role opens.
#
# https://docs.aws.amazon.com/kms/latest/developerguide/encrypt_context.html
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#encryption-context

locals {
  # The principals allowed to administer the keys and, as break-glass, to read and repair state:
  # the account's root user (which AWS Support recovery relies on) and var.admin_principal_arns.
  # Compared as aws:PrincipalArn (the role's ARN, path included, for any of its sessions).
  admin_principals = concat(["${local.arn.iam}:root"], var.admin_principal_arns)

  # The GitHub roles, built rather than read from aws_iam_role so the policies are known at plan.
  role_arns = {
    for env in local.environments : env => {
      plan   = "${local.arn.iam}:role${local.iam_path}${var.name_prefix}-${env}-github-plan"
      deploy = "${local.arn.iam}:role${local.iam_path}${var.name_prefix}-${env}-github-deploy"
    }
  }

  delivery_key_alias     = { for env in local.environments : env => "alias/${var.name_prefix}-${env}-delivery" }
  delivery_key_alias_arn = { for env, alias in local.delivery_key_alias : env => "${local.arn.kms}:${alias}" }

  # Condition blocks shared by the key policies (kms.tf) and the roles' identity policies
  # (iam.tf): the same use must be allowed by both.
  kms_state_conditions = {
    for env in local.environments : env => {
      StringEquals = { "kms:ViaService" = "s3.${local.region}.amazonaws.com" }
      StringLike   = { "kms:EncryptionContext:aws:s3:arn" = "${local.state_bucket_arn}/${env}/*" }
    }
  }
  kms_plan_conditions = {
    for env in local.environments : env => {
      StringEquals = {
        "kms:EncryptionContext:slipway:purpose"     = "plan"
        "kms:EncryptionContext:slipway:environment" = env
      }
    }
  }

  # Administration only: no cryptographic action, no kms:CreateGrant (a grant would hand use of
  # the key to a principal this policy does not name).
  kms_admin_actions = [
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListGrants",
    "kms:ListKeyPolicies",
    "kms:ListKeyRotations",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:RevokeGrant",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
  ]

  # Every action that uses the key material, or hands it on (CreateGrant).
  kms_use_actions = [
    "kms:CreateGrant",
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyPair",
    "kms:GenerateDataKeyPairWithoutPlaintext",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
  ]

  # Why the account ("…:root") is the Principal of every Allow, narrowed by aws:PrincipalArn,
  # instead of naming the roles as principals:
  # - KMS stores a named role as its unique id: a role deleted and re-created (a rename, a
  #   re-apply after a mistake) would silently lose access, and a key whose only administrator
  #   was such a role becomes unmanageable. A condition on the ARN keeps matching.
  # - With the account as principal, KMS also requires the caller's own IAM policy to allow the
  #   request (iam.tf grants the same uses with the same conditions), so both must agree.
  # - The explicit Deny is what makes "only these principals" hold whatever any IAM policy of the
  #   account grants: an administrator with kms:* in IAM still cannot decrypt outside the
  #   break-glass statement, and no other role can use the key at all.
  # https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
  delivery_key_policy = {
    for env in local.environments : env => {
      Version = "2012-10-17"
      Statement = [
        {
          Sid       = "AdministerKey"
          Effect    = "Allow"
          Principal = { AWS = "${local.arn.iam}:root" }
          Action    = local.kms_admin_actions
          Resource  = "*"
          Condition = { ArnEquals = { "aws:PrincipalArn" = local.admin_principals } }
        },
        {
          Sid       = "DenyUseExceptEnvironmentRoles"
          Effect    = "Deny"
          Principal = { AWS = "*" }
          Action    = local.kms_use_actions
          Resource  = "*"
          Condition = { ArnNotEquals = { "aws:PrincipalArn" = concat([local.role_arns[env].plan, local.role_arns[env].deploy], local.admin_principals) } }
        },
        {
          # Pull-request code runs in the dev plan job: it may seal a plan, never open one.
          Sid       = "DenyPlanRoleOpeningPlans"
          Effect    = "Deny"
          Principal = { AWS = "*" }
          Action    = ["kms:Decrypt"]
          Resource  = "*"
          Condition = {
            ArnEquals    = { "aws:PrincipalArn" = local.role_arns[env].plan }
            StringEquals = { "kms:EncryptionContext:slipway:purpose" = "plan" }
          }
        },
        {
          Sid       = "PlanRoleReadsState"
          Effect    = "Allow"
          Principal = { AWS = "${local.arn.iam}:root" }
          Action    = ["kms:Decrypt"]
          Resource  = "*"
          Condition = merge(local.kms_state_conditions[env], {
            ArnEquals = { "aws:PrincipalArn" = local.role_arns[env].plan }
          })
        },
        {
          Sid       = "PlanRoleSealsPlans"
          Effect    = "Allow"
          Principal = { AWS = "${local.arn.iam}:root" }
          Action    = ["kms:GenerateDataKey"]
          Resource  = "*"
          Condition = merge(local.kms_plan_conditions[env], {
            ArnEquals = { "aws:PrincipalArn" = local.role_arns[env].plan }
          })
        },
        {
          Sid       = "DeployRoleReadsAndWritesState"
          Effect    = "Allow"
          Principal = { AWS = "${local.arn.iam}:root" }
          Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource  = "*"
          Condition = merge(local.kms_state_conditions[env], {
            ArnEquals = { "aws:PrincipalArn" = local.role_arns[env].deploy }
          })
        },
        {
          Sid       = "DeployRoleOpensPlans"
          Effect    = "Allow"
          Principal = { AWS = "${local.arn.iam}:root" }
          Action    = ["kms:Decrypt"]
          Resource  = "*"
          Condition = merge(local.kms_plan_conditions[env], {
            ArnEquals = { "aws:PrincipalArn" = local.role_arns[env].deploy }
          })
        },
        {
          # Break-glass state repair (terraform state rm/mv, a rollback to an older version) by
          # an administrator, through S3 only; administrators open no plans.
          Sid       = "AdminsRepairState"
          Effect    = "Allow"
          Principal = { AWS = "${local.arn.iam}:root" }
          Action    = ["kms:Decrypt", "kms:GenerateDataKey"]
          Resource  = "*"
          Condition = merge(local.kms_state_conditions[env], {
            ArnEquals = { "aws:PrincipalArn" = local.admin_principals }
          })
        },
      ]
    }
  }
}

resource "aws_kms_key" "delivery" {
  for_each = local.environments

  description              = "Slipway ${each.key}: Terraform state (S3 SSE-KMS under ${each.key}/) and sealed plan artifacts."
  key_usage                = "ENCRYPT_DECRYPT"
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  enable_key_rotation      = true
  # The longest window: a key scheduled for deletion by mistake makes every state of the
  # environment unreadable once it is gone, so there is a month to cancel.
  deletion_window_in_days = 30
  policy                  = jsonencode(local.delivery_key_policy[each.key])

  tags = { environment = each.key }
}

resource "aws_kms_alias" "delivery" {
  for_each = local.environments

  name          = local.delivery_key_alias[each.key]
  target_key_id = aws_kms_key.delivery[each.key].key_id
}
