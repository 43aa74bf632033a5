# Every constrained input rejects bad values at plan time with its own message.
# Prepare: the valid fixture below. Act: each run breaks one field. Assess: expect_failures.
mock_provider "aws" {}

variables {
  name       = "slipway-test-welcome"
  subject    = "You're booked: {{sessionTitle}}"
  text       = "Hi {{name}}."
  html       = "<p>Hi {{name}}.</p>"
  account_id = "123456789012"
}

run "accepts_the_valid_fixture" {
  command = plan
}

run "refuses_a_name_ses_does_not_take" {
  command = plan

  variables {
    name = "slipway.dev/welcome"
  }

  expect_failures = [var.name]
}

run "refuses_an_empty_subject" {
  command = plan

  variables {
    subject = "  "
  }

  expect_failures = [var.subject]
}

run "refuses_a_subject_on_two_lines" {
  command = plan

  variables {
    subject = "You're booked:\n{{sessionTitle}}"
  }

  expect_failures = [var.subject]
}

run "refuses_an_empty_text_body" {
  command = plan

  variables {
    text = ""
  }

  expect_failures = [var.text]
}

run "refuses_an_empty_html_body" {
  command = plan

  variables {
    html = ""
  }

  expect_failures = [var.html]
}

run "refuses_an_account_id_that_is_not_12_digits" {
  command = plan

  variables {
    account_id = "12345"
  }

  expect_failures = [var.account_id]
}

run "refuses_an_unclosed_placeholder" {
  command = plan

  variables {
    html = "<p>Hi {{name</p>"
  }

  expect_failures = [var.html]
}

run "refuses_a_template_over_500_kb" {
  command = plan

  variables {
    # 500,001 characters: the word padded with spaces.
    html = format("%500001s", "x")
  }

  expect_failures = [var.html]
}
