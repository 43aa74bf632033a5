/**
 * Address globs for waivers and `--allow-destroy`: `*` matches any run of characters
 * (including dots and brackets), `?` one character, everything else is literal. Terraform
 * addresses contain `[` `]` `"`, which minimatch would read as classes, hence this matcher.
 *
 * @example globMatch('module.bucket_*.aws_s3_bucket.this', 'module.bucket_media.aws_s3_bucket.this') // true
 */
export function globMatch(pattern: string, text: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === text;
  const re = new RegExp(
    `^${pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
    's',
  );
  return re.test(text);
}
