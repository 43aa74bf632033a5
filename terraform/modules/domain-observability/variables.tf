variable "name" {
  description = "Name of the domain in its environment, <prefix>-<env>-<domain> (e.g. \"slipway-dev-media\"): names the dashboard, the composite alarm (<name>-health) and the folder of the saved queries (<name>/...)."
  type        = string

  validation {
    # Dashboard names allow 255 characters; the composite alarm adds 7 and query names 25.
    condition     = can(regex("^[a-z0-9][a-z0-9-]{0,199}$", var.name))
    error_message = "name must be 1-200 lowercase letters, digits or hyphens, e.g. \"slipway-dev-media\"."
  }
}

variable "domain" {
  description = "The domain's name as the stacks know it (e.g. \"media\"): the dashboard's title."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.domain))
    error_message = "domain must be a lowercase name such as \"media\"."
  }
}

variable "functions" {
  description = "The domain's Lambda functions: name (the function name) and, when it has one, dead_letter_queue (the name of its SQS dead-letter queue, whose depth the dashboard shows)."
  type = list(object({
    name              = string
    dead_letter_queue = optional(string)
  }))
  default  = []
  nullable = false

  validation {
    condition     = alltrue([for f in var.functions : can(regex("^[A-Za-z0-9_-]{1,64}$", f.name)) && (f.dead_letter_queue == null || can(regex("^[A-Za-z0-9_-]{1,80}$", f.dead_letter_queue)))])
    error_message = "functions[*].name must be a Lambda function name (1-64 letters, digits, - or _) and dead_letter_queue an SQS queue name (1-80), not an ARN."
  }

  validation {
    condition     = length(distinct([for f in var.functions : f.name])) == length(var.functions)
    error_message = "functions must not list a function twice."
  }
}

variable "state_machines" {
  description = "The domain's Step Functions state machines (its flows): name and arn. Each gets dashboard widgets and an X-Ray group of its traces."
  type = list(object({
    name = string
    arn  = string
  }))
  default  = []
  nullable = false

  validation {
    condition     = alltrue([for s in var.state_machines : can(regex("^arn:aws[a-z-]*:states:[a-z0-9-]+:[0-9]{12}:stateMachine:${s.name}$", s.arn))])
    error_message = "state_machines[*].arn must be the ARN of the state machine named by name: arn:aws:states:<region>:<account>:stateMachine:<name>."
  }
}

variable "rest_apis" {
  description = "REST APIs the domain serves: name (the API's name, API Gateway's ApiName dimension) and stage."
  type = list(object({
    name  = string
    stage = string
  }))
  default  = []
  nullable = false

  validation {
    condition     = alltrue([for a in var.rest_apis : length(a.name) >= 1 && length(a.name) <= 1024 && can(regex("^[A-Za-z0-9_-]{1,128}$", a.stage))])
    error_message = "rest_apis[*].name must be the API's name and stage a stage name (letters, digits, - or _)."
  }
}

variable "metric_ratios" {
  description = "Ratios of two custom (Powertools EMF) metrics, one widget each: title, namespace, numerator and denominator metric names, their dimensions (e.g. { service = \"etl-transform\" }). The ETL's rejected-rows ratio is RowsRejected / RowsInput."
  type = list(object({
    title       = string
    namespace   = string
    numerator   = string
    denominator = string
    dimensions  = map(string)
  }))
  default  = []
  nullable = false

  validation {
    condition     = alltrue([for r in var.metric_ratios : length(r.title) > 0 && can(regex("^[^:].{0,254}$", r.namespace)) && length(r.numerator) > 0 && length(r.denominator) > 0])
    error_message = "metric_ratios[*] need a title, a namespace (e.g. \"Slipway/etl\") and both metric names."
  }
}

variable "metric_breakdowns" {
  description = "One custom metric split by the values of one dimension, one widget each: title, namespace, metric, the dimensions every series has, and split_by (the dimension's name and its values), e.g. MediaQuarantined by outcome rejected / failed."
  type = list(object({
    title      = string
    namespace  = string
    metric     = string
    dimensions = map(string)
    split_by = object({
      name   = string
      values = list(string)
    })
  }))
  default  = []
  nullable = false

  validation {
    condition     = alltrue([for b in var.metric_breakdowns : length(b.title) > 0 && length(b.metric) > 0 && length(b.split_by.values) > 0 && !contains(keys(b.dimensions), b.split_by.name)])
    error_message = "metric_breakdowns[*] need a title, a metric, at least one split_by value, and split_by.name must not also be in dimensions."
  }
}

variable "alarm_names" {
  description = "Names of every alarm of the domain: the composite alarm <name>-health is in ALARM when any of them is. Pass module outputs (or depend on the alarms), so that they exist before the composite alarm."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.alarm_names : can(regex("^[^\"]{1,255}$", a))])
    error_message = "alarm_names must be CloudWatch alarm names (1-255 characters, no double quotes)."
  }
}

variable "alarm_actions" {
  description = "SNS topic ARNs the composite alarm notifies when the domain turns unhealthy and when it recovers (Slipway: the environment's alarm topic)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for a in var.alarm_actions : can(regex("^arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}$", a))])
    error_message = "alarm_actions must be SNS topic ARNs, e.g. arn:aws:sns:eu-west-1:123456789012:slipway-dev-alarms."
  }
}

variable "runbook" {
  description = "Path of the domain's runbook from the repository root (docs/runbooks/<domain>.md): the composite alarm's description ends with \"Runbook: <runbook>#<name>-health\", and the dashboard names it."
  type        = string
  default     = null

  validation {
    condition     = var.runbook == null ? true : can(regex("^([a-z0-9][a-z0-9._-]*/)*[a-z0-9][a-z0-9_-]*\\.md$", var.runbook)) && length(var.runbook) <= 100
    error_message = "runbook must be a relative path of a Markdown file (lowercase, no leading /, no ../, no #anchor), at most 100 characters, e.g. \"docs/runbooks/media.md\"."
  }
}

variable "tags" {
  description = "Tags for the composite alarm and the X-Ray groups (merged over the provider's default_tags). Dashboards and query definitions take no tags."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for k in keys(var.tags) : !startswith(lower(k), "aws:")])
    error_message = "tags must not use the reserved aws: prefix."
  }
}
