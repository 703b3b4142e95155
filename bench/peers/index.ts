/** Peers the suite runs when installed (scripts/install-bench-peers.sh), in running order. */
import { collectdPeer } from './collectd.js';
import { netdataPeer } from './netdata.js';
import type { PeerDefinition } from './peer.js';

export const PEERS: PeerDefinition[] = [netdataPeer, collectdPeer];
