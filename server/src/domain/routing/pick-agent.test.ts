import { describe, expect, it } from 'vitest';
import { type Candidate, pickAgent } from './pick-agent';

const agent = (userId: string, over: Partial<Candidate> = {}): Candidate => ({
  userId,
  online: true,
  onShift: true,
  skills: new Map(),
  load: 0,
  capacity: 3,
  channelLoad: 0,
  channelCapacity: null,
  lastAssignedAt: null,
  ...over,
});

describe('pickAgent', () => {
  it('takes the least loaded relative to capacity', () => {
    const picked = pickAgent(
      [agent('a', { load: 2, capacity: 4 }), agent('b', { load: 1, capacity: 3 }), agent('c', { load: 3, capacity: 10 })],
      {
        requiredSkills: [],
      },
    );
    expect(picked?.userId).toBe('c'); // 0.3 < 0.33 < 0.5
  });

  it('skips offline, off-shift, full (overall or per channel) and unskilled agents', () => {
    const need = { requiredSkills: [{ skillId: 'de', minLevel: 2 }] };
    const skilled = new Map([['de', 3]]);
    expect(
      pickAgent(
        [
          agent('offline', { online: false, skills: skilled }),
          agent('off-shift', { onShift: false, skills: skilled }),
          agent('full', { load: 3, skills: skilled }),
          agent('channel-full', { channelLoad: 1, channelCapacity: 1, skills: skilled }),
          agent('level-1', { skills: new Map([['de', 1]]) }),
          agent('ok', { load: 2, skills: skilled }),
        ],
        need,
      )?.userId,
    ).toBe('ok');
    expect(pickAgent([agent('a', { load: 3 })], { requiredSkills: [] })).toBeUndefined();
  });

  it('spreads evenly over many assignments, round-robin by longest idle', () => {
    const agents = ['a', 'b', 'c', 'd'].map((id) => agent(id, { capacity: 1000 }));
    const counts = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const p = pickAgent(agents, { requiredSkills: [] });
      if (!p) throw new Error('nobody');
      p.load++;
      p.lastAssignedAt = new Date(1_000_000 + i);
      counts.set(p.userId, (counts.get(p.userId) ?? 0) + 1);
      // Every fourth conversation the busiest agent finishes one: loads stay level, so idle time decides.
      if (i % 4 === 3) for (const a of agents) a.load = Math.max(0, a.load - 1);
    }
    console.log('pickAgent spread over 400:', Object.fromEntries(counts));
    expect([...counts.values()]).toEqual([100, 100, 100, 100]);
  });
});
