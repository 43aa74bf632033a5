/**
 * EventBridge Scheduler's recurring expressions, checked at build time so a typo fails the
 * synthesis naming the manifest and the field, not the apply:
 * `cron(minutes hours day-of-month month day-of-week year)` and `rate(value unit)`.
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html
 */

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names accepted instead of numbers (JAN = 1, SUN = 1), upper-case. */
  readonly names?: readonly string[];
  /** The field may be `?` (day-of-month and day-of-week only). */
  readonly question?: boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly CronField[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, question: true },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, question: true },
  { name: 'year', min: 1970, max: 2199 },
];

const RATE_UNITS = ['minute', 'hour', 'day'] as const;

/**
 * What is wrong with a Scheduler expression, or `undefined` when Scheduler accepts it: a `cron`
 * of six fields (day-of-month and day-of-week: exactly one of them `?`) or a `rate` whose unit is
 * singular for 1 and plural above.
 *
 * @example scheduleExpressionProblem('cron(0 * * * ? *)') // undefined: every hour
 * @example scheduleExpressionProblem('rate(1 hours)') // 'rate(1 hours): a value of 1 takes the singular unit, "rate(1 hour)"'
 */
export function scheduleExpressionProblem(expression: string): string | undefined {
  const rate = /^rate\((.*)\)$/.exec(expression);
  if (rate) return rateProblem(expression, rate[1]);
  const cron = /^cron\((.*)\)$/.exec(expression);
  if (cron) return cronProblem(expression, cron[1]);
  return (
    'must be "cron(minutes hours day-of-month month day-of-week year)" or "rate(value unit)", ' +
    'e.g. "cron(0 * * * ? *)" (every hour) or "rate(15 minutes)"'
  );
}

function rateProblem(expression: string, body: string): string | undefined {
  const match = /^(\d+) ([a-z]+)$/.exec(body);
  if (!match)
    return `${expression}: write "rate(value unit)" with a whole number and minute(s), hour(s) or day(s), e.g. "rate(15 minutes)"`;
  const value = Number(match[1]);
  const unit = match[2];
  const singular = unit.replace(/s$/, '');
  if (!(RATE_UNITS as readonly string[]).includes(singular))
    return `${expression}: the unit must be minute(s), hour(s) or day(s), not "${unit}"`;
  if (value < 1) return `${expression}: the value must be a whole number of at least 1`;
  if (value === 1 && unit !== singular)
    return `${expression}: a value of 1 takes the singular unit, "rate(1 ${singular})"`;
  if (value > 1 && unit === singular)
    return `${expression}: a value above 1 takes the plural unit, "rate(${value} ${singular}s)"`;
  return undefined;
}

function cronProblem(expression: string, body: string): string | undefined {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6)
    return (
      `${expression}: has ${parts.length} field${parts.length === 1 ? '' : 's'}, Scheduler's cron has 6: ` +
      'minutes hours day-of-month month day-of-week year, e.g. "cron(0 * * * ? *)"'
    );
  for (const [i, field] of FIELDS.entries()) {
    const problem = fieldProblem(field, parts[i]);
    if (problem) return `${expression}: ${field.name} "${parts[i]}" ${problem}`;
  }
  const [dayOfMonth, dayOfWeek] = [parts[2], parts[4]];
  // "You can't specify the Day-of-month and Day-of-week fields in the same cron expression. If
  // you specify a value or a * in one of the fields, you must use a ? in the other."
  if ((dayOfMonth === '?') === (dayOfWeek === '?'))
    return (
      `${expression}: exactly one of day-of-month ("${dayOfMonth}") and day-of-week ("${dayOfWeek}") ` +
      'must be "?", e.g. "cron(0 9 * * ? *)" (every day) or "cron(0 9 ? * MON-FRI *)" (weekdays)'
    );
  return undefined;
}

function fieldProblem(field: CronField, text: string): string | undefined {
  if (text === '?')
    return field.question ? undefined : 'cannot be "?": only day-of-month or day-of-week can';
  const day = field.name === 'day-of-month' ? domSpecial(text) : dowSpecial(field, text);
  if (day !== null) return day;
  for (const item of text.split(',')) {
    const problem = itemProblem(field, item);
    if (problem) return problem;
  }
  return undefined;
}

/** `L`, `LW` and `<day>W` (nearest weekday) of day-of-month; `null` when `text` is none of them. */
function domSpecial(text: string): string | undefined | null {
  if (text === 'L' || text === 'LW') return undefined;
  const weekday = /^(\d+)W$/.exec(text);
  if (!weekday) return null;
  const day = Number(weekday[1]);
  return day >= 1 && day <= 31 ? undefined : 'names a day outside 1-31 before "W"';
}

/** `L`, `<day>L` (last such day) and `<day>#<n>` (n-th such day) of day-of-week. */
function dowSpecial(field: CronField, text: string): string | undefined | null {
  if (field.name !== 'day-of-week') return null;
  if (text === 'L') return undefined;
  const last = /^([A-Za-z0-9]+)L$/.exec(text);
  if (last) return valueOf(field, last[1]) === undefined ? outOfRange(field) : undefined;
  const nth = /^([A-Za-z0-9]+)#(\d+)$/.exec(text);
  if (!nth) return null;
  if (valueOf(field, nth[1]) === undefined) return outOfRange(field);
  const n = Number(nth[2]);
  return n >= 1 && n <= 5 ? undefined : 'must have a week number from 1 to 5 after "#"';
}

function itemProblem(field: CronField, item: string): string | undefined {
  const [range, step, ...rest] = item.split('/');
  if (rest.length > 0) return 'has more than one "/"';
  if (step !== undefined && !/^\d+$/.test(step))
    return 'must have a whole-number step after "/", e.g. "*/15"';
  if (step !== undefined && Number(step) < 1) return 'must have a step of at least 1';
  if (range === '*') return undefined;
  const bounds = range.split('-');
  if (bounds.length > 2 || bounds.some((b) => b === ''))
    return `must be "*", a value, a range "a-b", a list "a,b" or a step "a/n" (${describe(field)})`;
  const values = bounds.map((b) => valueOf(field, b));
  if (values.some((v) => v === undefined)) return outOfRange(field);
  return undefined;
}

function valueOf(field: CronField, text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= field.min && n <= field.max ? n : undefined;
  }
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  return index >= 0 ? index + 1 : undefined;
}

function describe(field: CronField): string {
  return `${field.min}-${field.max}${field.names ? ` or ${field.names[0]}-${field.names.at(-1)}` : ''}`;
}

function outOfRange(field: CronField): string {
  return `must use values ${describe(field)}${field.question ? ', or "?"' : ''}`;
}

/**
 * What is wrong with an IANA time zone name, or `undefined` when it is one (`Europe/Paris`,
 * `UTC`). Exact spelling: Scheduler takes the name as written, and a fixed offset (`+01:00`)
 * would not follow daylight saving time.
 */
export function timeZoneProblem(timeZone: string): string | undefined {
  const hint =
    'must be an IANA time zone name such as "Europe/Paris" or "UTC" (the cron runs in it, daylight saving included)';
  if (!/^[A-Za-z][A-Za-z_]*(\/[A-Za-z0-9_+-]+)*$/.test(timeZone)) return hint;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
  } catch {
    return `${hint}: "${timeZone}" is not one`;
  }
  if (resolved.toLowerCase() === timeZone.toLowerCase() && resolved !== timeZone)
    return `must be spelled "${resolved}"`;
  return undefined;
}
