/**
 * The chaos test's input, drawn from a seed: an upsert stream (Account on Ext_Id__c) and an insert
 * stream (Contact) whose rows point at earlier Accounts through `Account.Ext_Id__c`; a STREAM state
 * every few hundred rows of a stream; a few rows Salesforce or the connector must reject. And what
 * Airbyte sends on the next attempt: each stream resumes after its last echoed state.
 */
import { seededRandom } from '../fake-salesforce/chaos-faults';
import { record, type Msg } from '../write/write-helpers';

export interface ChaosInput {
  messages: Msg[];
  /** Account rows that can never load (Name too long: rejected before any job). */
  badAccounts: Set<string>;
  /** Contact rows Salesforce rejects (no LastName: REQUIRED_FIELD_MISSING). */
  badContacts: Set<string>;
}

let stateId = 0;
function state(stream: string, cursor: number, recordCount: number): Msg {
  stateId += 1;
  return {
    type: 'STATE',
    state: { type: 'STREAM', stream: { stream_descriptor: { name: stream }, stream_state: { cursor } }, id: stateId, sourceStats: { recordCount } },
  };
}

/** `rows` Accounts and `rows` Contacts, interleaved at random, with states every 100–300 rows per stream. */
export function chaosInput(seed: number, rows: number): ChaosInput {
  const random = seededRandom(seed * 7919 + 1);
  const messages: Msg[] = [];
  const badAccounts = new Set<string>();
  const badContacts = new Set<string>();
  const loadable: string[] = [];
  const made = { Account: 0, Contact: 0 };
  const sinceState = { Account: 0, Contact: 0 };
  const nextState = { Account: 0, Contact: 0 };
  const every = () => 100 + Math.floor(random() * 200);
  nextState.Account = every();
  nextState.Contact = every();
  while (made.Account < rows || made.Contact < rows) {
    const stream = made.Contact >= rows || (made.Account < rows && (loadable.length === 0 || random() < 0.5)) ? 'Account' : 'Contact';
    const i = made[stream]++;
    if (stream === 'Account') {
      const ext = `s${seed}-a${i}`;
      const bad = random() < 0.03;
      if (bad) badAccounts.add(ext);
      else loadable.push(ext);
      messages.push(record('Account', { Name: bad ? 'x'.repeat(300) : `Account ${seed}/${i}`, Ext_Id__c: ext, Rating: random() < 0.5 ? 'Hot' : 'Cold' }));
    } else {
      const email = `c${i}.s${seed}@chaos.example`;
      const bad = random() < 0.03;
      if (bad) badContacts.add(email);
      const parent = loadable[Math.floor(random() * loadable.length)] as string;
      messages.push(record('Contact', { ...(bad ? {} : { LastName: `Contact ${seed}/${i}` }), Email: email, 'Account.Ext_Id__c': parent }));
    }
    sinceState[stream] += 1;
    if (sinceState[stream] >= nextState[stream] || made[stream] === rows) {
      messages.push(state(stream, i, sinceState[stream]));
      sinceState[stream] = 0;
      nextState[stream] = every();
    }
  }
  return { messages, badAccounts, badContacts };
}

const streamOf = (m: Msg): string =>
  m.type === 'RECORD' ? (m.record as { stream: string }).stream : ((m.state as { stream: { stream_descriptor: { name: string } } }).stream.stream_descriptor.name);

/** The next attempt's input: per stream, everything after the last state the previous attempt echoed. */
export function resumeAfter(messages: Msg[], echoed: Msg[]): Msg[] {
  const toSkip = new Map<string, number>();
  for (const s of echoed) {
    const name = (s as { stream: { stream_descriptor: { name: string } } }).stream.stream_descriptor.name;
    toSkip.set(name, (toSkip.get(name) ?? 0) + 1);
  }
  const out: Msg[] = [];
  for (const m of messages) {
    const stream = streamOf(m);
    const skip = toSkip.get(stream) ?? 0;
    if (skip === 0) out.push(m);
    else if (m.type === 'STATE') toSkip.set(stream, skip - 1);
  }
  return out;
}
