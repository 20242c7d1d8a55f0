const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A W&B run id: 8 random characters of [a-z0-9]. */
export function generateRunId(random: (max: number) => number = (max) => Math.floor(Math.random() * max)): string {
  let id = '';
  for (let i = 0; i < 8; i++) id += ID_ALPHABET[random(ID_ALPHABET.length)];
  return id;
}

const ADJECTIVES = [
  'amber', 'brisk', 'calm', 'dainty', 'eager', 'fancy', 'gentle', 'hardy', 'icy', 'jolly', 'keen', 'lively',
  'misty', 'noble', 'olive', 'proud', 'quiet', 'rosy', 'sunny', 'tidy', 'upbeat', 'vivid', 'wise', 'young',
  'zesty', 'bright', 'cosmic', 'dashing', 'earnest', 'fluent', 'golden', 'hopeful', 'lucky', 'mellow', 'polar',
  'royal', 'silver', 'swift', 'twilight', 'valiant',
];
const NOUNS = [
  'aurora', 'breeze', 'canyon', 'dawn', 'ember', 'forest', 'glade', 'harbor', 'island', 'jungle', 'lake',
  'meadow', 'nebula', 'ocean', 'planet', 'quartz', 'river', 'sun', 'thunder', 'universe', 'valley', 'wave',
  'glacier', 'comet', 'field', 'galaxy', 'moon', 'night', 'pond', 'rain', 'sky', 'snow', 'star', 'stone',
  'water', 'wind', 'firefly', 'frost', 'haze', 'shadow',
];

/** A W&B-style display name, `adjective-noun-N`, N being the run's ordinal in its project. */
export function generateDisplayName(ordinal: number, random: (max: number) => number = (max) => Math.floor(Math.random() * max)): string {
  return `${ADJECTIVES[random(ADJECTIVES.length)]}-${NOUNS[random(NOUNS.length)]}-${ordinal}`;
}
