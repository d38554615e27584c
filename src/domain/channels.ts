// How a dossier reaches a unit (docs/domain.md §3): the one list of channels. Statistics group them
// (online, direct, postal); the desk takes in only counter and postal dossiers.
export const channels = ['online', 'counter', 'postal', 'national_portal'] as const;
export type Channel = (typeof channels)[number];

/** Channels a dossier is filed through on a portal: statistics count them as online. */
export const onlineChannels: readonly Channel[] = ['online', 'national_portal'];

/** Channels the office takes a dossier in through (counter intake): the officer keys in a paper dossier. */
export const intakeChannels = ['counter', 'postal'] as const satisfies readonly Channel[];
export type IntakeChannel = (typeof intakeChannels)[number];

export function isIntakeChannel(value: unknown): value is IntakeChannel {
  return typeof value === 'string' && (intakeChannels as readonly string[]).includes(value);
}
