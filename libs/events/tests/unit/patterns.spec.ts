import {
  EVENT_PATTERN_MAX_LENGTH,
  EventPatternError,
  type EventPattern,
  type EventPatternIssue,
  matchesEventPattern,
  validateEventPattern,
} from '../../src';

// AWS's documented examples, one row per operator: the pattern as the page prints it, an event it
// matches and one it does not. Where a page gives only the pattern and says what it selects, the
// events are the smallest that show it. Pages (all under the EventBridge user guide,
// https://docs.aws.amazon.com/eventbridge/latest/userguide/):
const OPERATORS = 'eb-create-pattern-operators.html';
const PATTERNS = 'eb-event-patterns.html';
const ARRAYS = 'eb-event-patterns-arrays.html';
const NULLS = 'eb-event-patterns-null-values.html';
// aws/event-ruler (the engine behind EventBridge) documents what the guide leaves out.
const RULER = 'https://github.com/aws/event-ruler#readme';

// The EC2 event of eb-event-patterns.html, trimmed to what the rows read.
const ec2 = (detail: Record<string, unknown>) => ({
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  resources: ['arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0'],
  detail,
});
// Event Ruler's sample event's detail: c-count 5, d-count 3, x-limit 301.8.
const counts = { 'c-count': 5, 'd-count': 3, 'x-limit': 301.8 };

type Row = [
  operator: string,
  page: string,
  pattern: EventPattern,
  matches: Record<string, unknown>,
  doesNotMatch: Record<string, unknown>,
];

const rows: Row[] = [
  // Field values, AND across fields, OR within a list.
  [
    'exact value (EC2 instance terminated)',
    PATTERNS,
    {
      source: ['aws.ec2'],
      'detail-type': ['EC2 Instance State-change Notification'],
      detail: { state: ['terminated'] },
    },
    ec2({ 'instance-id': 'i-1234567890abcdef0', state: 'terminated' }),
    ec2({ 'instance-id': 'i-1234567890abcdef0', state: 'running' }),
  ],
  [
    'exact value is case-sensitive',
    PATTERNS,
    { detail: { state: ['terminated'] } },
    ec2({ state: 'terminated' }),
    ec2({ state: 'Terminated' }),
  ],
  [
    'list of values (aws.ec2 or aws.fargate)',
    PATTERNS,
    { source: ['aws.ec2', 'aws.fargate'] },
    { source: 'aws.fargate' },
    { source: 'aws.lambda' },
  ],
  [
    'numbers as values (Macie risk-score 80 and trigger risk 8)',
    PATTERNS,
    { source: ['aws.macie'], detail: { 'risk-score': [80], trigger: { risk: [8] } } },
    { source: 'aws.macie', detail: { 'risk-score': 80, trigger: { risk: 8 } } },
    { source: 'aws.macie', detail: { 'risk-score': 80, trigger: { risk: '8' } } },
  ],
  [
    'And: Location is "New York" and Day is "Monday"',
    OPERATORS,
    { Location: ['New York'], Day: ['Monday'] },
    { Location: 'New York', Day: 'Monday' },
    { Location: 'New York', Day: 'Tuesday' },
  ],
  [
    'a field the event lacks never matches a value',
    PATTERNS,
    { detail: { state: ['terminated'] } },
    ec2({ state: 'terminated' }),
    ec2({ 'instance-id': 'i-1234567890abcdef0' }),
  ],
  // Null and empty string.
  [
    'null: responseElements is null',
    NULLS,
    { detail: { responseElements: [null] } },
    { detail: { eventVersion: '', responseElements: null } },
    { detail: { eventVersion: '', responseElements: '' } },
  ],
  [
    'empty: eventVersion is "" (not interchangeable with null)',
    NULLS,
    { detail: { eventVersion: [''] } },
    { detail: { eventVersion: '', responseElements: null } },
    { detail: { eventVersion: null } },
  ],
  [
    'null does not match an absent field',
    NULLS,
    { detail: { responseElements: [null] } },
    { detail: { responseElements: null } },
    { detail: { eventVersion: '' } },
  ],
  // Arrays.
  [
    'arrays: the pattern list and the event array intersect',
    ARRAYS,
    {
      resources: [
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:111122223333:instance/i-b188560f',
        'arn:aws:ec2:us-east-1:444455556666:instance/i-b188560f',
      ],
    },
    {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
        'arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f',
      ],
    },
    {
      resources: [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:eb56d16b-bbf0-401d-b893-d5978ed4a025:autoScalingGroupName/ASGTerminate',
      ],
    },
  ],
  [
    'arrays of objects: fields match within one element',
    RULER,
    { employees: { firstName: ['Anna'], lastName: ['Smith'] } },
    {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Smith' },
        { firstName: 'Peter', lastName: 'Jones' },
      ],
    },
    {
      employees: [
        { firstName: 'John', lastName: 'Doe' },
        { firstName: 'Anna', lastName: 'Jones' },
        { firstName: 'Peter', lastName: 'Smith' },
      ],
    },
  ],
  [
    'multi-level arrays are crushed',
    RULER,
    { employees: { firstName: ['Peter'] } },
    {
      employees: [
        [
          { firstName: 'John', lastName: 'Doe' },
          { firstName: 'Anna', lastName: 'Smith' },
        ],
        [{ firstName: 'Peter', lastName: 'Jones' }],
      ],
    },
    { employees: [[{ firstName: 'John', lastName: 'Doe' }], []] },
  ],
  // prefix, suffix, equals-ignore-case, wildcard.
  [
    'prefix: time starts with 2017-10-02',
    OPERATORS,
    { time: [{ prefix: '2017-10-02' }] },
    { time: '2017-10-02T18:43:48Z' },
    { time: '2017-10-03T18:43:48Z' },
  ],
  [
    'prefix: Region is in the US',
    OPERATORS,
    { Region: [{ prefix: 'us-' }] },
    { Region: 'us-east-1' },
    { Region: 'eu-west-1' },
  ],
  [
    'prefix matches strings only',
    OPERATORS,
    { detail: { code: [{ prefix: '4' }] } },
    { detail: { code: '404' } },
    { detail: { code: 404 } },
  ],
  [
    'prefix ignoring case: service starts with "EventB" in any case',
    OPERATORS,
    { service: [{ prefix: { 'equals-ignore-case': 'EventB' } }] },
    { service: 'eventbridge' },
    { service: 'AmazonEventBridge' },
  ],
  [
    'suffix: FileName ends with .png',
    OPERATORS,
    { FileName: [{ suffix: '.png' }] },
    { FileName: 'image.png' },
    { FileName: 'image.PNG' },
  ],
  [
    'suffix ignoring case: FileName ends with .png in any case',
    OPERATORS,
    { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] },
    { FileName: 'image.PnG' },
    { FileName: 'image.PNG.jpg' },
  ],
  [
    'equals-ignore-case: Name is "Alice"',
    OPERATORS,
    { Name: [{ 'equals-ignore-case': 'alice' }] },
    { Name: 'ALICE' },
    { Name: 'Alicia' },
  ],
  [
    'wildcard: any .png file within the folder "dir"',
    OPERATORS,
    { FileName: [{ wildcard: 'dir/*.png' }] },
    { FileName: 'dir/image.png' },
    { FileName: 'backup/dir/image.png' },
  ],
  [
    'wildcard: the whole value must match',
    RULER,
    { source: [{ wildcard: 'Simple*Service' }] },
    { source: 'SimpleQueueService' },
    { source: 'SimpleQueueServices' },
  ],
  [
    'wildcard: any event bus in us-east-1',
    OPERATORS,
    { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    { EventBusArn: 'arn:aws:events:us-east-1:123456789012:event-bus/orders' },
    { EventBusArn: 'arn:aws:events:us-west-2:123456789012:event-bus/orders' },
  ],
  [
    'wildcard: \\* is a literal *',
    RULER,
    { source: [{ wildcard: 'Simple\\*Service' }] },
    { source: 'Simple*Service' },
    { source: 'SimpleQueueService' },
  ],
  // anything-but.
  [
    'anything-but: state is any value besides "initializing"',
    OPERATORS,
    { detail: { state: [{ 'anything-but': 'initializing' }] } },
    { detail: { state: 'running' } },
    { detail: { state: 'initializing' } },
  ],
  [
    'anything-but a number',
    OPERATORS,
    { detail: { 'x-limit': [{ 'anything-but': 123 }] } },
    { detail: { 'x-limit': 124 } },
    { detail: { 'x-limit': 123 } },
  ],
  [
    'anything-but a list of strings',
    OPERATORS,
    { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } },
    { detail: { state: 'running' } },
    { detail: { state: 'overloaded' } },
  ],
  [
    'anything-but a list of numbers',
    OPERATORS,
    { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } },
    { detail: { 'x-limit': 301.8 } },
    { detail: { 'x-limit': 200 } },
  ],
  [
    'anything-but needs the field to be there',
    OPERATORS,
    { detail: { state: [{ 'anything-but': 'initializing' }] } },
    { detail: { state: 'running' } },
    { detail: { 'instance-id': 'i-1234567890abcdef0' } },
  ],
  [
    'anything-but (begins with): Region is not in the US',
    OPERATORS,
    { Region: [{ 'anything-but': { prefix: 'us-' } }] },
    { Region: 'eu-west-1' },
    { Region: 'us-east-1' },
  ],
  [
    'anything-but (ends with): FileName does not end with .png',
    OPERATORS,
    { FileName: [{ 'anything-but': { suffix: '.png' } }] },
    { FileName: 'image.jpg' },
    { FileName: 'image.png' },
  ],
  [
    'anything-but (ignore case): state is not "initializing" in any case',
    OPERATORS,
    { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
    { state: 'running' },
    { state: 'INITIALIZING' },
  ],
  [
    'anything-but (ignore case) a list',
    OPERATORS,
    {
      detail: {
        state: [{ 'anything-but': { 'equals-ignore-case': ['initializing', 'stopped'] } }],
      },
    },
    { detail: { state: 'running' } },
    { detail: { state: 'Stopped' } },
  ],
  [
    'anything-but using a wildcard: FilePath does not include /lib/',
    OPERATORS,
    { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    { FilePath: '/usr/bin/tool' },
    { FilePath: '/usr/lib/tool' },
  ],
  [
    'anything-but using a list of wildcards',
    OPERATORS,
    { FilePath: [{ 'anything-but': { wildcard: ['*/lib/*', '*/bin/*'] } }] },
    { FilePath: '/usr/share/tool' },
    { FilePath: '/usr/bin/tool' },
  ],
  // numeric.
  [
    'numeric: c-count in (0, 5], d-count below 10, x-limit = 3.018e2',
    OPERATORS,
    {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    },
    { detail: counts },
    { detail: { ...counts, 'c-count': 6 } },
  ],
  [
    'numeric equals: Price is 100',
    OPERATORS,
    { Price: [{ numeric: ['=', 100] }] },
    { Price: 100 },
    { Price: 100.5 },
  ],
  [
    'numeric range: Price is more than 10 and at most 20',
    OPERATORS,
    { Price: [{ numeric: ['>', 10, '<=', 20] }] },
    { Price: 20 },
    { Price: 10 },
  ],
  [
    'numeric works on JSON numbers only',
    OPERATORS,
    { Price: [{ numeric: ['=', 100] }] },
    { Price: 100 },
    { Price: '100' },
  ],
  // cidr.
  [
    'IP address: sourceIPAddress in 10.0.0.0/24',
    OPERATORS,
    { detail: { sourceIPAddress: [{ cidr: '10.0.0.0/24' }] } },
    { detail: { sourceIPAddress: '10.0.0.255' } },
    { detail: { sourceIPAddress: '10.0.1.1' } },
  ],
  [
    'IP address: IPv6 too',
    RULER,
    { detail: { sourceIPAddress: [{ cidr: '2001:db8::/32' }] } },
    { detail: { sourceIPAddress: '2001:db8:85a3::8a2e:370:7334' } },
    { detail: { sourceIPAddress: '2001:db9::1' } },
  ],
  // exists.
  [
    'exists: detail.state is there',
    OPERATORS,
    { detail: { state: [{ exists: true }] } },
    ec2({ 'instance-id': 'i-abcd1111', state: 'pending' }),
    ec2({ 'c-count': { c1: 100 } }),
  ],
  [
    'exists: false: detail.c-count is not there (an object is not a leaf)',
    RULER,
    { detail: { 'c-count': [{ exists: false }] } },
    ec2({ state: ['initializing', 'running'], 'c-count': { c1: 100 } }),
    ec2({ state: 'running', 'c-count': 5 }),
  ],
  [
    'exists: false looks through every element of an array',
    RULER,
    { employees: { middleName: [{ exists: false }] } },
    { employees: [{ firstName: 'John' }, { firstName: 'Anna' }] },
    { employees: [{ firstName: 'John' }, { firstName: 'Anna', middleName: 'Maria' }] },
  ],
  // $or.
  [
    '$or: Location is "New York", or Day is "Monday"',
    OPERATORS,
    { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] },
    { Location: 'Boston', Day: 'Monday' },
    { Location: 'Boston', Day: 'Tuesday' },
  ],
  [
    '$or inside detail, over numeric conditions',
    OPERATORS,
    {
      detail: {
        $or: [
          { 'c-count': [{ numeric: ['>', 0, '<=', 5] }] },
          { 'd-count': [{ numeric: ['<', 10] }] },
          { 'x-limit': [{ numeric: ['=', 3.018e2] }] },
        ],
      },
    },
    { detail: { 'c-count': 9, 'd-count': 20, 'x-limit': 301.8 } },
    { detail: { 'c-count': 9, 'd-count': 20, 'x-limit': 300 } },
  ],
  [
    '$or with an And inside: source && (metricName || (metricType && namespace) || scope)',
    RULER,
    {
      source: ['aws.cloudwatch'],
      $or: [
        { metricName: ['CPUUtilization', 'ReadLatency'] },
        { metricType: ['MetricType'], namespace: ['AWS/EC2', 'AWS/ES'] },
        { scope: ['Service'] },
      ],
    },
    { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/ES' },
    { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/S3' },
  ],
];

describe('matchesEventPattern: AWS documented examples', () => {
  it.each(rows)('%s (%s) matches its example event', (_op, _page, pattern, matches) => {
    expect(matchesEventPattern(pattern, matches)).toBe(true);
  });

  it.each(rows)('%s (%s) rejects its counter-example', (_op, _page, pattern, _m, doesNotMatch) => {
    expect(matchesEventPattern(pattern, doesNotMatch)).toBe(false);
  });

  it('matches nothing that is not an event object', () => {
    expect(
      [null, 'aws.ec2', 42, ['aws.ec2']].map((e) =>
        matchesEventPattern({ source: ['aws.ec2'] }, e),
      ),
    ).toEqual([false, false, false, false]);
  });
});

// Grammar: one valid pattern using every operator; each case clones it, breaks one field and pins
// the exact issue the validator reports.
const valid = (): EventPattern => ({
  source: ['slipway.sessions'],
  'detail-type': [{ 'equals-ignore-case': 'sessionconfirmed' }],
  detail: {
    amount: [{ numeric: ['>', 0, '<=', 500] }],
    email: [{ suffix: { 'equals-ignore-case': '@example.com' } }],
    plan: [{ prefix: 'pro-' }, 'free', null],
    file: [{ wildcard: 'uploads/*.png' }],
    state: [{ 'anything-but': ['cancelled', 'refunded'] }],
    ip: [{ cidr: '10.0.0.0/24' }],
    coupon: [{ exists: false }],
    $or: [
      { region: [{ 'anything-but': { prefix: 'us-' } }] },
      { tier: [{ 'anything-but': { wildcard: ['*-test', '*-dev'] } }] },
    ],
  },
});
const validEvent = {
  source: 'slipway.sessions',
  'detail-type': 'SessionConfirmed',
  detail: {
    amount: 120,
    email: 'ada@EXAMPLE.com',
    plan: 'pro-annual',
    file: 'uploads/a.png',
    state: 'confirmed',
    ip: '10.0.0.7',
    region: 'eu-west-1',
  },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the fixture is changed as plain JSON
type Detail = Record<string, any>;
const NUMERIC_SHAPE =
  'numeric takes [operator, number] with "=", "<", "<=", ">" or ">=", or a range [">" or ">=", low, "<" or "<=", high], such as [">", 0, "<=", 5]';
const ANYTHING_BUT_SHAPE =
  'anything-but takes a string, a number, a list of only strings or only numbers, {"prefix": "..."}, {"suffix": "..."}, {"equals-ignore-case": "..." or [...]} or {"wildcard": "..." or [...]}';

const breaks: [
  what: string,
  change: (p: EventPattern & { detail: Detail }) => void,
  issue: EventPatternIssue,
][] = [
  [
    'a decreasing numeric range',
    (p) => (p.detail.amount = [{ numeric: ['>', 10, '<', 5] }]),
    {
      path: 'detail.amount[0].numeric',
      message:
        'the range must increase: its lower bound 10 is not below its upper bound 5; swap them or fix the bounds',
    },
  ],
  [
    'a range written upper bound first',
    (p) => (p.detail.amount = [{ numeric: ['<=', 500, '>', 0] }]),
    {
      path: 'detail.amount[0].numeric',
      message:
        'a numeric range starts with its lower bound, ">" or ">=": got "<="; write it as [">", low, "<=", high]',
    },
  ],
  [
    'a range whose second operator is not an upper bound',
    (p) => (p.detail.amount = [{ numeric: ['>', 0, '>=', 500] }]),
    {
      path: 'detail.amount[0].numeric',
      message:
        'a numeric range ends with its upper bound, "<" or "<=": got ">="; write it as [">", low, "<=", high]',
    },
  ],
  [
    'a numeric bound given as a string',
    (p) => (p.detail.amount = [{ numeric: ['>', '0'] }]),
    {
      path: 'detail.amount[0].numeric',
      message: `${NUMERIC_SHAPE}: the bounds must be numbers, got the list [">","0"]`,
    },
  ],
  [
    'an unknown numeric operator',
    (p) => (p.detail.amount = [{ numeric: ['!=', 0] }]),
    { path: 'detail.amount[0].numeric', message: `${NUMERIC_SHAPE}: got the operator "!="` },
  ],
  [
    'numeric with three elements',
    (p) => (p.detail.amount = [{ numeric: ['>', 0, '<='] }]),
    { path: 'detail.amount[0].numeric', message: `${NUMERIC_SHAPE}: got the list [">",0,"<="]` },
  ],
  [
    'a numeric bound past 5e9',
    (p) => (p.detail.amount = [{ numeric: ['<', 6e9] }]),
    {
      path: 'detail.amount[0].numeric',
      message: 'EventBridge compares numbers between -5e9 and 5e9 only: 6000000000 is out of range',
    },
  ],
  [
    'an empty list',
    (p) => (p.detail.amount = []),
    {
      path: 'detail.amount',
      message:
        'an empty list matches nothing and is rejected by EventBridge: list at least one value or operator, such as ["value"] or [{"exists": true}], or remove the field',
    },
  ],
  [
    'a bare value instead of a list',
    (p) => (p.source = 'slipway.sessions'),
    {
      path: 'source',
      message:
        'a field takes a list of values or operators, or an object of nested fields: got the string "slipway.sessions"; wrap it in a list, such as ["slipway.sessions"]',
    },
  ],
  [
    'an empty nested object',
    (p) => (p.detail.meta = {}),
    {
      path: 'detail.meta',
      message:
        'an empty object is rejected by EventBridge: name the nested fields to match inside it, or remove "meta"',
    },
  ],
  [
    'a list inside a list',
    (p) => (p.detail.plan[1] = ['free', 'trial']),
    {
      path: 'detail.plan[1]',
      message:
        'a list cannot hold a list: put its values in the field\'s own list, such as ["free", "trial"]',
    },
  ],
  [
    'an unknown operator',
    (p) => (p.detail.plan[0] = { contains: 'pro' }),
    {
      path: 'detail.plan[0].contains',
      message:
        'unknown operator "contains": EventBridge supports prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists, cidr',
    },
  ],
  [
    'two operators in one object',
    (p) => (p.detail.plan[0] = { prefix: 'pro-', suffix: '-annual' }),
    {
      path: 'detail.plan[0]',
      message:
        'an operator object holds exactly one operator, got prefix, suffix: put each in its own object in the list (the list ORs them)',
    },
  ],
  [
    'an empty operator object',
    (p) => (p.detail.plan[0] = {}),
    {
      path: 'detail.plan[0]',
      message:
        'an empty object is not a value or an operator: use one of prefix, suffix, equals-ignore-case, wildcard, anything-but, numeric, exists, cidr, such as {"prefix": "us-"}',
    },
  ],
  [
    'a prefix that is not a string',
    (p) => (p.detail.plan[0] = { prefix: 5 }),
    {
      path: 'detail.plan[0].prefix',
      message:
        'prefix takes a string, or {"equals-ignore-case": "..."} to ignore case: got the number 5',
    },
  ],
  [
    'a suffix with an unknown option',
    (p) => (p.detail.email = [{ suffix: { 'ignore-case': '@example.com' } }]),
    {
      path: 'detail.email[0].suffix',
      message:
        'suffix takes a string, or {"equals-ignore-case": "..."} to ignore case: got the object {"ignore-case":"@example.com"}',
    },
  ],
  [
    'equals-ignore-case on a number',
    (p) => (p['detail-type'] = [{ 'equals-ignore-case': 5 }]),
    {
      path: 'detail-type[0].equals-ignore-case',
      message: 'equals-ignore-case takes a string: got the number 5',
    },
  ],
  [
    'consecutive wildcards',
    (p) => (p.detail.file = [{ wildcard: 'uploads/**.png' }]),
    {
      path: 'detail.file[0].wildcard',
      message:
        'consecutive * are rejected by EventBridge ("uploads/**.png"): one * already matches any run of characters',
    },
  ],
  [
    'a backslash escaping a plain character in a wildcard',
    (p) => (p.detail.file = [{ wildcard: 'uploads\\d.png' }]),
    {
      path: 'detail.file[0].wildcard',
      message:
        'a backslash in a wildcard may only escape * or \\ ("uploads\\\\d.png"): write \\\\ for a literal backslash',
    },
  ],
  [
    'exists given as a string',
    (p) => (p.detail.coupon = [{ exists: 'false' }]),
    {
      path: 'detail.coupon[0].exists',
      message: 'exists takes true or false (not a string): got the string "false"',
    },
  ],
  [
    'a cidr without its prefix length',
    (p) => (p.detail.ip = [{ cidr: '10.0.0.0' }]),
    {
      path: 'detail.ip[0].cidr',
      message:
        'cidr takes an IPv4 or IPv6 block with its prefix length, such as "10.0.0.0/24" or "2001:db8::/32": got the string "10.0.0.0"',
    },
  ],
  [
    'an IPv4 prefix longer than 32 bits',
    (p) => (p.detail.ip = [{ cidr: '10.0.0.0/33' }]),
    {
      path: 'detail.ip[0].cidr',
      message:
        'cidr takes an IPv4 or IPv6 block with its prefix length, such as "10.0.0.0/24" or "2001:db8::/32": got the string "10.0.0.0/33"',
    },
  ],
  [
    'anything-but with strings and numbers mixed',
    (p) => (p.detail.state = [{ 'anything-but': ['cancelled', 0] }]),
    {
      path: 'detail.state[0].anything-but',
      message:
        'an anything-but list holds only strings or only numbers: got the list ["cancelled",0]; split other values into separate matchers',
    },
  ],
  [
    'anything-but with an empty list',
    (p) => (p.detail.state = [{ 'anything-but': [] }]),
    { path: 'detail.state[0].anything-but', message: `${ANYTHING_BUT_SHAPE}: got an empty list` },
  ],
  [
    'anything-but with a boolean',
    (p) => (p.detail.state = [{ 'anything-but': true }]),
    {
      path: 'detail.state[0].anything-but',
      message: `${ANYTHING_BUT_SHAPE}: got the boolean true`,
    },
  ],
  [
    'anything-but with a list of prefixes',
    (p) => (p.detail.$or[0].region = [{ 'anything-but': { prefix: ['us-', 'ca-'] } }]),
    {
      path: 'detail.$or[0].region[0].anything-but',
      message:
        'anything-but {"prefix"} takes one string: got the list ["us-","ca-"]; to exclude several, use {"wildcard": ["a*", "b*"]}',
    },
  ],
  [
    'anything-but with an operator it cannot wrap',
    (p) => (p.detail.state = [{ 'anything-but': { numeric: ['>', 0] } }]),
    {
      path: 'detail.state[0].anything-but',
      message: `${ANYTHING_BUT_SHAPE}: got the operator "numeric"`,
    },
  ],
  [
    'anything-but with a broken wildcard',
    (p) => (p.detail.$or[1].tier = [{ 'anything-but': { wildcard: ['*-test', '**-dev'] } }]),
    {
      path: 'detail.$or[1].tier[0].anything-but',
      message:
        'consecutive * are rejected by EventBridge ("**-dev"): one * already matches any run of characters',
    },
  ],
  [
    '$or with one alternative',
    (p) => (p.detail.$or = [{ region: ['eu-west-1'] }]),
    {
      path: 'detail.$or',
      message:
        '$or takes a list of at least two patterns, such as "$or": [{"state": ["stopped"]}, {"code": [500]}]: got the list [{"region":["eu-west-1"]}]; for a single alternative drop the $or',
    },
  ],
  [
    'an $or alternative that is not an object',
    (p) => (p.detail.$or[1] = 'tier'),
    {
      path: 'detail.$or[1]',
      message:
        'each $or alternative is a non-empty object of fields, such as {"state": ["stopped"]}: got the string "tier"',
    },
  ],
  [
    'a broken field inside an $or alternative',
    (p) => (p.detail.$or[0].region = []),
    {
      path: 'detail.$or[0].region',
      message:
        'an empty list matches nothing and is rejected by EventBridge: list at least one value or operator, such as ["value"] or [{"exists": true}], or remove the field',
    },
  ],
  [
    'a pattern over the size quota',
    (p) => (p.source = ['x'.repeat(EVENT_PATTERN_MAX_LENGTH)]),
    {
      path: '(root)',
      message: `the pattern is 2533 characters of JSON, over EventBridge's event pattern size quota of 2048: split it into several rules or match on fewer values`,
    },
  ],
];

describe('validateEventPattern', () => {
  it('accepts a pattern that uses every operator, and that pattern matches its event', () => {
    expect(validateEventPattern(valid())).toEqual([]);
    expect(matchesEventPattern(valid(), validEvent)).toBe(true);
    expect(
      matchesEventPattern(valid(), {
        ...validEvent,
        detail: { ...validEvent.detail, coupon: 'X' },
      }),
    ).toBe(false);
  });

  it.each(breaks)('reports %s', (_what, change, issue) => {
    const pattern = valid() as EventPattern & { detail: Detail };
    change(pattern);

    expect(validateEventPattern(pattern)).toEqual([issue]);
  });

  it.each<[string, unknown, EventPatternIssue]>([
    [
      'a list',
      [{ source: ['aws.s3'] }],
      {
        path: '(root)',
        message:
          'an event pattern must be a JSON object of fields, such as {"source": ["my.app"]}: got the list [{"source":["aws.s3"]}]',
      },
    ],
    [
      'an empty object',
      {},
      {
        path: '(root)',
        message:
          'an empty pattern is rejected by EventBridge: name at least one field to match, such as "source": ["my.app"]',
      },
    ],
  ])('reports a pattern that is %s', (_what, pattern, issue) => {
    expect(validateEventPattern(pattern)).toEqual([issue]);
  });

  it('reports every broken field, not only the first', () => {
    const pattern = valid() as EventPattern & { detail: Detail };
    pattern.detail.amount = [{ numeric: ['>', 10, '<', 5] }];
    pattern.detail.coupon = [{ exists: 'false' }];

    expect(validateEventPattern(pattern).map((i) => i.path)).toEqual([
      'detail.amount[0].numeric',
      'detail.coupon[0].exists',
    ]);
  });

  it('takes a raised size quota', () => {
    const pattern = valid();
    pattern.source = ['x'.repeat(EVENT_PATTERN_MAX_LENGTH)];

    expect(validateEventPattern(pattern, { maxLength: 4096 })).toEqual([]);
  });

  it('makes the matcher throw for a broken pattern instead of matching differently from AWS', () => {
    const broken = { detail: { amount: [{ numeric: ['>', 10, '<', 5] }] } };

    expect(() => matchesEventPattern(broken, validEvent)).toThrow(
      new EventPatternError([
        {
          path: 'detail.amount[0].numeric',
          message:
            'the range must increase: its lower bound 10 is not below its upper bound 5; swap them or fix the bounds',
        },
      ]),
    );
    expect(() => matchesEventPattern(broken, validEvent)).toThrow(
      'Invalid EventBridge event pattern: detail.amount[0].numeric: the range must increase',
    );
  });
});
