/** Thinknx Integration Kit: client, controller table, value codecs, Digest auth, KNX checks. */
export { ThinknxClient, type ThinknxClientOptions, type ThinknxStats } from './client';
export { buildCommand, commandResult, checkGuid, isGet, type Command, type CommandInput, type CommandResult } from './command';
export { CAPABILITIES, DEVICE_LABELS, findCapability, type Capability, type CapabilityName, type Field } from './controllers';
export { DPTS, dptSpec, groupAddressProblem, knxValue, parseGroupAddress, type DptSpec } from './knx';
export { DigestSession, parseChallenges, pickDigest, type Challenge, type DigestChallenge } from './digest';
export { endpoint, thinknxSettings, THINKNX_CLOUD_URL, THINKNX_DEFAULT_PORT, type ThinknxAuth, type ThinknxCredentials, type ThinknxMode, type ThinknxSettings } from './endpoint';
export { parseServerStatus, parseUptime, parseConfigTime, type ServerStatus } from './status';
